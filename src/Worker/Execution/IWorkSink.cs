using Cluster.Contracts.V1;

namespace Cluster.Worker.Execution;

/// <summary>Where a compute thread hands a finished (or skipped) work item back.</summary>
internal interface IWorkSink
{
    /// <summary>Whether the session that sent the item still stands; items of an ended session are not started.</summary>
    bool IsLive { get; }

    /// <summary>The attempt finished: send <paramref name="result"/>.</summary>
    void Complete(WorkItem item, ChunkResult result);

    /// <summary>The attempt will not run (cancelled, or its session or job ended): nothing to send.</summary>
    void Skip(WorkItem item);
}
