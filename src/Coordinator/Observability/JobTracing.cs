using System.Diagnostics;
using Cluster.Coordinator.Jobs;

namespace Cluster.Coordinator.Observability;

/// <summary>
/// A job is a trace: its span starts when it was submitted and ends when it finishes, and its context goes to the
/// workers in the job's definition, where each traced chunk attempt is a child span (see the worker's ChunkTracing).
/// Nothing is created while no tracer listens (tracing is on only with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).
/// </summary>
internal sealed class JobTracing : IDisposable
{
    /// <summary>The coordinator's activity source; export it by this name.</summary>
    public const string SourceName = "Cluster.Coordinator";

    private readonly ActivitySource _source = new(SourceName);

    /// <summary>
    /// Starts <paramref name="job"/>'s span (dated from its submission) and returns its W3C trace context, or empty when
    /// nothing listens. Called once per job, when its definition is first sent to a worker.
    /// </summary>
    public string Start(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!_source.HasListeners())
        {
            return string.Empty;
        }

        // A job outlives the call that submitted it: its span is a root, not a child of whatever request is current.
        var current = Activity.Current;
        Activity.Current = null;
        try
        {
            var span = _source.StartActivity("job", ActivityKind.Internal, default(ActivityContext), startTime: job.SubmittedAt);
            if (span is null)
            {
                return string.Empty;
            }

            span.SetTag("cluster.job.id", job.Id).SetTag("cluster.job.kind", job.KindName).SetTag("cluster.job.chunks", job.ChunkCount);
            _ = job.Completion.ContinueWith(
                static (_, state) =>
                {
                    var (span, job) = ((Activity, Job))state!;
                    span.SetTag("cluster.job.state", job.State.ToString().ToLowerInvariant()).SetTag("cluster.job.chunks_done", job.ChunksDone);
                    if (job.State == JobState.Failed)
                    {
                        span.SetStatus(ActivityStatusCode.Error, job.Error);
                    }

                    span.Stop();
                },
                (span, job),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return span.Id ?? string.Empty;
        }
        finally
        {
            Activity.Current = current;
        }
    }

    public void Dispose() => _source.Dispose();
}
