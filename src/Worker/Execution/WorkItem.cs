using Cluster.Contracts.V1;
using Google.Protobuf;

namespace Cluster.Worker.Execution;

/// <summary>One chunk attempt waiting for, or running on, a compute thread.</summary>
internal sealed class WorkItem(ChunkAssignment assignment, JobContext job, IWorkSink sink)
{
    public string JobId => assignment.JobId;

    public long ChunkIndex => assignment.ChunkIndex;

    public int Attempt => assignment.Attempt;

    public ByteString Payload => assignment.Payload;

    public JobContext Job { get; } = job;

    public IWorkSink Sink { get; } = sink;

    /// <summary>Set when the coordinator cancels this attempt before it starts.</summary>
    public volatile bool Cancelled;

    public ChunkResult NewResult() => new() { JobId = JobId, ChunkIndex = ChunkIndex, Attempt = Attempt };
}

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
