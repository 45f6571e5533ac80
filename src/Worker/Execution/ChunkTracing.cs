using System.Diagnostics;
using Cluster.Contracts.V1;
using Cluster.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Worker.Execution;

/// <summary>
/// A span per chunk attempt, child of its job's trace (the coordinator's span, passed in the job's definition), for
/// OpenTelemetry. Nothing is created while no tracer listens, nor for a job the coordinator does not trace; and at
/// most <see cref="WorkerOptions.TracedChunksPerSecond"/> a second, so tiny chunks are sampled, not each traced.
/// </summary>
internal sealed class ChunkTracing : IDisposable
{
    /// <summary>The worker's activity source; export it by this name.</summary>
    public const string SourceName = "Cluster.Worker";

    private readonly ActivitySource _source = new(SourceName);
    private readonly TimeProvider _time;
    private readonly long _perSecond;
    private readonly Lock _gate = new();
    private long _windowStart;
    private long _inWindow;

    public ChunkTracing(IOptions<WorkerOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _perSecond = options.Value.TracedChunksPerSecond;
        _windowStart = time.GetTimestamp();
    }

    /// <summary>The trace context a job definition carries, or default when it has none (or a malformed one).</summary>
    public static ActivityContext ParentOf(JobDefinition definition) =>
        ActivityContext.TryParse(definition.TraceParent, null, isRemote: true, out var parent) ? parent : default;

    /// <summary>Starts the span of <paramref name="item"/>'s attempt, or returns null when it is not traced.</summary>
    public Activity? Start(WorkItem item, string thread)
    {
        var parent = item.Job.TraceParent;
        if (parent == default || !_source.HasListeners() || !TakeSample())
        {
            return null;
        }

        var span = _source.StartActivity("chunk", ActivityKind.Internal, parent);
        span?.SetTag("cluster.job.id", item.JobId)
            .SetTag("cluster.chunk.index", item.ChunkIndex)
            .SetTag("cluster.chunk.attempt", item.Attempt)
            .SetTag("thread.name", thread);
        return span;
    }

    /// <summary>Ends a span with the attempt's outcome.</summary>
    public static void End(Activity? span, ChunkResult result)
    {
        if (span is null)
        {
            return;
        }

        if (result.OutcomeCase == ChunkResult.OutcomeOneofCase.Failure)
        {
            span.SetStatus(ActivityStatusCode.Error, result.Failure.ExceptionType + ": " + result.Failure.Message);
        }

        span.SetTag("cluster.chunk.outcome", result.OutcomeCase == ChunkResult.OutcomeOneofCase.Failure ? "failed" : "done");
        span.Dispose();
    }

    public void Dispose() => _source.Dispose();

    private bool TakeSample()
    {
        lock (_gate)
        {
            if (_time.GetElapsedTime(_windowStart) >= TimeSpan.FromSeconds(1))
            {
                _windowStart = _time.GetTimestamp();
                _inWindow = 0;
            }

            return _inWindow++ < _perSecond;
        }
    }
}
