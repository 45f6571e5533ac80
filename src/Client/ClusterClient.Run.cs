using System.Diagnostics.CodeAnalysis;
using Cluster.Contracts.V1;

namespace Cluster.Client;

public sealed partial class ClusterClient
{
    /// <summary>
    /// Runs a job in one call: submits it, follows it to its end (reporting every snapshot to
    /// <paramref name="progress"/>) and fetches its result. Cancelling <paramref name="cancellationToken"/> after the
    /// submission cancels the job on the cluster too.
    /// </summary>
    /// <param name="spec">The job, for example from <see cref="JobSpecs.Create"/>.</param>
    /// <param name="input">The job's input data, for kinds that take input; streamed after the spec.</param>
    /// <param name="progress">Receives the job's snapshots as it runs.</param>
    /// <param name="cancellationToken">Stops waiting and cancels the job.</param>
    /// <returns>The succeeded job and its result.</returns>
    /// <exception cref="JobFailedException">The job failed or was cancelled on the cluster.</exception>
    /// <exception cref="ClusterException">The coordinator refused the job or stayed unreachable.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their first parameter (a spec or a typed kind), so no call is ambiguous.")]
    public async Task<JobResult> RunAsync(JobSpec spec, Stream? input = null, IProgress<JobInfo>? progress = null, CancellationToken cancellationToken = default)
    {
        var submitted = await SubmitAsync(spec, input, cancellationToken).ConfigureAwait(false);
        progress?.Report(submitted);
        try
        {
            var final = await WaitForCompletionAsync(submitted.JobId, progress, cancellationToken).ConfigureAwait(false);
            return await GetResultAsync(final, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await CancelAbandonedAsync(submitted.JobId).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Fetches a succeeded job's snapshot and its whole result data into memory; retried while the coordinator is unavailable.</summary>
    /// <exception cref="JobFailedException">The job failed or was cancelled.</exception>
    /// <exception cref="ClusterException">The job is unknown or still running (<c>FailedPrecondition</c>), or the coordinator stayed unreachable.</exception>
    public async Task<JobResult> GetResultAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var job = await GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        return await GetResultAsync(job, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JobResult> GetResultAsync(JobInfo job, CancellationToken cancellationToken)
    {
        if (job.State is JobState.Failed or JobState.Cancelled)
        {
            throw new JobFailedException(job);
        }

        using var data = new MemoryStream(checked((int)Math.Min(job.ResultBytes, Array.MaxLength)));
        var download = await DownloadResultAsync(job.JobId, data, cancellationToken).ConfigureAwait(false);
        return new JobResult(job, data.ToArray(), download.ContentType);
    }

    /// <summary>Cancels a job its caller stopped waiting for, within one call timeout; a failure leaves it running, as without the attempt.</summary>
    private async Task CancelAbandonedAsync(string jobId)
    {
        using var bound = new CancellationTokenSource(_options.CallTimeout, _options.TimeProvider);
        try
        {
            await TranslateAsync(
                () => _service.CancelJobAsync(new CancelJobRequest { JobId = jobId }, Unary(bound.Token)).ResponseAsync,
                bound.Token).ConfigureAwait(false);
        }
        catch (ClusterException)
        {
            // The coordinator is gone or already forgot the job: nothing more can be done from here.
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            // No answer within the bound: the caller's cancellation is reported, not this.
        }
    }
}

/// <summary>A succeeded job and its result, as <see cref="ClusterClient.RunAsync"/> and <see cref="ClusterClient.GetResultAsync(string, CancellationToken)"/> return it.</summary>
/// <param name="Job">The job's final snapshot.</param>
/// <param name="Data">The result data (for summary-only kinds, the summary's UTF-8 JSON).</param>
/// <param name="ContentType">Media type of <paramref name="Data"/>, for example <c>application/json</c> or <c>image/png</c>.</param>
public sealed record JobResult(JobInfo Job, ReadOnlyMemory<byte> Data, string ContentType)
{
    /// <summary>The job's result summary as a JSON object, for example <c>{"count":50847534}</c>.</summary>
    public string SummaryJson => Job.ResultJson;
}
