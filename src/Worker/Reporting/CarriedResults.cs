using Cluster.Contracts.V1;

namespace Cluster.Worker.Reporting;

/// <summary>
/// Results of attempts that finished after their session ended (the worker was frozen, or its network path died).
/// They go to the current session, or wait for the next one: the coordinator, not the worker, decides whether an
/// attempt still counts, and counts the ones it rejects as stale.
/// </summary>
/// <remarks>
/// It knows a session only as an <see cref="IResultOutlet"/>, so sessions depend on it and not the other way round.
/// </remarks>
internal sealed class CarriedResults
{
    /// <summary>The most results kept while no session takes them.</summary>
    public const int MaxWaiting = 10_000;

    private readonly Lock _gate = new();
    private readonly Queue<ChunkResult> _waiting = new();
    private IResultOutlet? _current;

    /// <summary>How many results wait for a session.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="result"/> through the current outlet, or keeps it for the next one. It is stamped with
    /// <paramref name="assignedEpoch"/>, the coordinator epoch of the session that assigned it (unless a session before
    /// stamped it already), so a coordinator that restarted since can tell it from a result of its own attempts.
    /// </summary>
    /// <remarks>Only outputs and failures are carried: a released attempt never ran, and its session's end requeued it.</remarks>
    public void Add(ChunkResult result, long assignedEpoch = 0)
    {
        if (result.OutcomeCase is not (ChunkResult.OutcomeOneofCase.Output or ChunkResult.OutcomeOneofCase.Failure))
        {
            return;
        }

        if (result.AssignedEpoch == 0)
        {
            result.AssignedEpoch = assignedEpoch;
        }

        lock (_gate)
        {
            if (_current is null || !_current.TrySendCarried(result))
            {
                // Only the stale count learns from these; a worker cut off for long keeps the latest few, not all.
                if (_waiting.Count >= MaxWaiting)
                {
                    _waiting.Dequeue();
                }

                _waiting.Enqueue(result);
            }
        }
    }

    /// <summary>Makes <paramref name="outlet"/> the one carried results go to, and hands it those waiting, oldest first.</summary>
    public void Attach(IResultOutlet outlet)
    {
        lock (_gate)
        {
            _current = outlet;
            while (_waiting.TryPeek(out var result) && outlet.TrySendCarried(result))
            {
                _waiting.Dequeue();
            }
        }
    }

    /// <summary>Stops sending to <paramref name="outlet"/>, unless another one was attached since.</summary>
    public void Detach(IResultOutlet outlet)
    {
        lock (_gate)
        {
            if (_current == outlet)
            {
                _current = null;
            }
        }
    }
}
