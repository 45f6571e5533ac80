using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Cluster.Contracts.V1;
using Cluster.Worker.Execution;
using Cluster.Worker.Reporting;

namespace Cluster.Worker.Session;

/// <summary>
/// The attempts a session holds between assignment and result, and the one gate through which results enter the
/// session's writer: while the session stands a result is queued for sending, once it ended the result is carried.
/// A drain waits here for the last held attempt to finish.
/// </summary>
internal sealed class PendingAttempts(OutboundWriter writer, CarriedResults carried) : IWorkSink, IResultOutlet
{
    private readonly ConcurrentDictionary<(string, long, int), WorkItem> _pending = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Guards the session's end and the start of a drain against the removal of an attempt (see Complete).
    private readonly Lock _gate = new();
    private volatile bool _ended;
    private volatile bool _draining;

    /// <summary>Whether the session still stands; a compute thread does not start an attempt of an ended session.</summary>
    public bool IsLive => !_ended;

    /// <summary>Whether a drain has begun; attempts assigned from then on are released, not queued.</summary>
    public bool IsDraining => _draining;

    /// <summary>How many attempts are held.</summary>
    public int Count => _pending.Count;

    public void Add(WorkItem item) => _pending[(item.JobId, item.ChunkIndex, item.Attempt)] = item;

    public bool TryGet(string jobId, long chunkIndex, int attempt, [MaybeNullWhen(false)] out WorkItem item) =>
        _pending.TryGetValue((jobId, chunkIndex, attempt), out item);

    public void Complete(WorkItem item, ChunkResult result)
    {
        if (!_pending.TryRemove((item.JobId, item.ChunkIndex, item.Attempt), out _))
        {
            return;
        }

        // Under the gate, a result either enters the writer before the session ends (and is carried from there if never
        // sent) or is carried at once; none falls between. The same gate orders this removal against the start of a
        // drain: whichever of the two comes later sees the other, so the drain's signal cannot be missed.
        bool sent;
        bool draining;
        lock (_gate)
        {
            sent = !_ended && writer.TryEnqueue(result);
            draining = _draining;
        }

        if (!sent)
        {
            carried.Add(result, writer.Epoch);
        }

        if (draining)
        {
            SignalIfDrained();
        }
    }

    public void Skip(WorkItem item)
    {
        if (!_pending.TryRemove((item.JobId, item.ChunkIndex, item.Attempt), out _))
        {
            return;
        }

        bool draining;
        lock (_gate)
        {
            draining = _draining;
        }

        if (draining)
        {
            SignalIfDrained();
        }
    }

    /// <summary>Sends a result finished under an earlier session; false once this session has ended.</summary>
    public bool TrySendCarried(ChunkResult result)
    {
        lock (_gate)
        {
            return !_ended && writer.TryEnqueue(result);
        }
    }

    /// <summary>The session ended: from now on every result is carried, and attempts not yet started never start.</summary>
    public void End()
    {
        lock (_gate)
        {
            _ended = true;
        }
    }

    /// <summary>A drain begins: attempts assigned from now on are released, and the drain is signalled when none is held.</summary>
    public void BeginDrain()
    {
        lock (_gate)
        {
            _draining = true;
        }
    }

    /// <summary>
    /// After <see cref="BeginDrain"/>: waits until no attempt is held (true) or <paramref name="timeout"/> passes on
    /// <paramref name="time"/> (false).
    /// </summary>
    public async Task<bool> WaitDrainedAsync(TimeSpan timeout, TimeProvider time, CancellationToken token)
    {
        SignalIfDrained();
        try
        {
            await _drained.Task.WaitAsync(timeout, time, token);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void SignalIfDrained()
    {
        if (_pending.IsEmpty)
        {
            _drained.TrySetResult();
        }
    }
}
