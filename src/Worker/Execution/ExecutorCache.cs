using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Cluster.Bundles.Loading;
using Cluster.Contracts.V1;
using Cluster.Hosting.Inputs;
using Cluster.Jobs;
using Cluster.Worker.Bundles;
using Microsoft.Extensions.Logging;

namespace Cluster.Worker.Execution;

/// <summary>
/// A session's jobs by id: each definition prepared once into its executor (or the error that prevented it, which
/// every chunk of the job then fails with), and dropped when the coordinator says the job closed.
/// </summary>
/// <remarks>
/// One per session, as the coordinator sends a job's definition once per session before its first chunk.
/// </remarks>
internal sealed partial class ExecutorCache(JobKindCatalog kinds, WorkerBundles bundles, HttpInputSource http, ILogger logger)
{
    private readonly ConcurrentDictionary<string, JobContext> _jobs = new(StringComparer.Ordinal);

    /// <summary>Prepares the job's executor unless it was prepared already.</summary>
    public async Task PrepareAsync(JobDefinition definition, CancellationToken cancellationToken)
    {
        if (!_jobs.ContainsKey(definition.JobId))
        {
            _jobs[definition.JobId] = await CreateAsync(definition, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The job's context; false when it was never defined or has closed.</summary>
    public bool TryGet(string jobId, [MaybeNullWhen(false)] out JobContext job) => _jobs.TryGetValue(jobId, out job);

    /// <summary>The job finished: its chunks stop (running ones see their token fire, queued ones never start) and it is dropped.</summary>
    public void Close(string jobId)
    {
        if (_jobs.TryRemove(jobId, out var closed))
        {
            closed.Close();
        }
    }

    /// <summary>The session ended: every job's bundle use ends (chunks still running finish; the bundle unloads after).</summary>
    public void CloseAll()
    {
        foreach (var jobId in _jobs.Keys)
        {
            if (_jobs.TryRemove(jobId, out var closed))
            {
                // Not Close: chunks still running finish, and their results are carried to the next session.
                closed.Bundle?.Dispose();
            }
        }
    }

    private async Task<JobContext> CreateAsync(JobDefinition definition, CancellationToken cancellationToken)
    {
        BundleLease? bundle = null;
        IJobInput? input = null;
        try
        {
            IJobKind? kind;
            if (string.IsNullOrEmpty(definition.BundleId))
            {
                if (!kinds.TryGet(definition.Kind, out kind))
                {
                    throw new InvalidOperationException($"This worker does not know job kind '{definition.Kind}'.");
                }
            }
            else
            {
                bundle = await bundles.AcquireAsync(definition.BundleId, cancellationToken).ConfigureAwait(false);
                kind = bundle.Bundle.GetKind(definition.Kind);
            }

            var values = definition.Parameters.ToDictionary(p => p.Key, p => p.Value.ToClr() ?? string.Empty, StringComparer.Ordinal);
            using var scope = bundle?.Bundle.EnterContextualReflection();
            var parameters = JobParameters.Bind(kind.Parameters, values);
            input = string.IsNullOrEmpty(definition.InputUrl) ? null : ReferencedInputs.Open(definition, http);
            var executor = input is null ? kind.CreateExecutor(parameters) : kind.CreateExecutor(parameters, input);
            return new JobContext(definition.JobId, executor, null) { Bundle = bundle, Input = input as IDisposable, TraceParent = ChunkTracing.ParentOf(definition) };
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            bundle?.Dispose();
            (input as IDisposable)?.Dispose();
            LogPrepareFailed(logger, definition.JobId, definition.Kind, ex.Message);
            return new JobContext(definition.JobId, null, ex);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Could not prepare job {JobId} of kind {Kind}: {Error}")]
    private static partial void LogPrepareFailed(ILogger logger, string jobId, string kind, string error);
}
