using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Cluster.Contracts.V1;
using Cluster.Jobs.Typed;

namespace Cluster.Client;

public sealed partial class ClusterClient
{
    /// <summary>
    /// Runs a typed kind in one call, as <see cref="RunAsync(JobSpec, Stream?, IProgress{JobInfo}?, CancellationToken)"/>
    /// does: its parameters from <paramref name="parameters"/> (see <see cref="JobSpecs.For"/>), its result read back
    /// as <typeparamref name="TResult"/>. The coordinator and workers must know the kind (loaded with <c>--jobs</c>).
    /// </summary>
    /// <param name="kind">The kind, from an assembly this program references, for example <c>new PrimesKind()</c>.</param>
    /// <param name="parameters">The job's parameters record.</param>
    /// <param name="input">The job's input data, for kinds that take input.</param>
    /// <param name="progress">Receives the job's snapshots as it runs.</param>
    /// <param name="cancellationToken">Stops waiting and cancels the job.</param>
    /// <exception cref="JobFailedException">The job failed or was cancelled on the cluster.</exception>
    /// <exception cref="ClusterException">The coordinator refused the job (for example a parameter out of range) or stayed unreachable.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their first parameter (a spec or a typed kind), so no call is ambiguous.")]
    public async Task<JobResult<TResult>> RunAsync<TParameters, TChunkResult, TResult>(
        TypedJobKind<TParameters, TChunkResult, TResult> kind,
        TParameters parameters,
        Stream? input = null,
        IProgress<JobInfo>? progress = null,
        CancellationToken cancellationToken = default)
        where TParameters : notnull
    {
        var result = await RunAsync(JobSpecs.For(kind, parameters), input, progress, cancellationToken).ConfigureAwait(false);
        return new JobResult<TResult>(result.Job, ReadSummary<TResult>(result.Job));
    }

    /// <summary>A succeeded job's result as <typeparamref name="TResult"/>, the result type of its typed kind; retried while the coordinator is unavailable.</summary>
    /// <exception cref="JobFailedException">The job failed or was cancelled.</exception>
    /// <exception cref="ClusterException">The job is unknown or still running, or the coordinator stayed unreachable.</exception>
    public async Task<JobResult<TResult>> GetResultAsync<TResult>(string jobId, CancellationToken cancellationToken = default)
    {
        var job = await GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job.State is JobState.Failed or JobState.Cancelled)
        {
            throw new JobFailedException(job);
        }

        if (job.State != JobState.Succeeded)
        {
            throw new ClusterException(Sentences.End($"Job {job.JobId} is {job.State}; a result exists only once it has succeeded"), Grpc.Core.StatusCode.FailedPrecondition);
        }

        return new JobResult<TResult>(job, ReadSummary<TResult>(job));
    }

    /// <summary>
    /// A typed kind's result is its summary: the result serialised with <see cref="ChunkCodecs.JsonOptions"/>, inside
    /// <c>{"value": ...}</c> when it is not a JSON object (a number, a list).
    /// </summary>
    private static TResult ReadSummary<TResult>(JobInfo job)
    {
        try
        {
            var asObject = ChunkCodecs.JsonOptions.GetTypeInfo(typeof(TResult)).Kind is JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary;
            var json = asObject ? JsonNode.Parse(job.ResultJson) : JsonNode.Parse(job.ResultJson)?["value"];
            return json.Deserialize<TResult>(ChunkCodecs.JsonOptions)
                ?? throw new InvalidDataException($"Job {job.JobId}'s result is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Job {job.JobId}'s result is not a {typeof(TResult).Name}: {e.Message}", e);
        }
    }
}

/// <summary>A succeeded job of a typed kind and its result.</summary>
/// <typeparam name="TResult">The kind's result type.</typeparam>
/// <param name="Job">The job's final snapshot.</param>
/// <param name="Value">The job's result.</param>
public sealed record JobResult<TResult>(JobInfo Job, TResult Value);
