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

    /// <summary>The spool range whose bytes follow <see cref="Payload"/>, for a chunk sent by local read; else null.</summary>
    public LocalSlice? LocalSlice => assignment.LocalSlice;

    /// <summary>The coordinator's spool this session proved it reads (<see cref="LocalSpool.Prove"/>), or null.</summary>
    public LocalSpool? Spool { get; init; }

    public JobContext Job { get; } = job;

    public IWorkSink Sink { get; } = sink;

    private readonly Lock _gate = new();
    private CancellationTokenSource? _running;

    /// <summary>Whether the coordinator cancelled this attempt (a backup that lost, a job that ended).</summary>
    public bool Cancelled { get; private set; }

    /// <summary>Cancels the attempt: it will not start, and if it runs, its token fires.</summary>
    public void Cancel()
    {
        lock (_gate)
        {
            Cancelled = true;
            try
            {
                _running?.Cancel();
            }
            catch (AggregateException)
            {
                // A kind's cancellation callback threw; the attempt is abandoned either way, and the session must not die of it.
            }
        }
    }

    /// <summary>Marks the attempt as running under <paramref name="token"/>'s source; false when it was cancelled first.</summary>
    public bool TryStart(CancellationTokenSource token)
    {
        lock (_gate)
        {
            _running = Cancelled ? null : token;
            return !Cancelled;
        }
    }

    /// <summary>The attempt stopped running; a later cancel no longer reaches its thread's token.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _running = null;
        }
    }

    public ChunkResult NewResult() => new() { JobId = JobId, ChunkIndex = ChunkIndex, Attempt = Attempt };

    /// <summary>Hands the attempt back unstarted (the worker is draining, or its queue is full): not a failure.</summary>
    public void Release()
    {
        var released = NewResult();
        released.Released = true;
        Sink.Complete(this, released);
    }
}
