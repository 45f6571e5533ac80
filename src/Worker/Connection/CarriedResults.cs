using Cluster.Contracts.V1;

namespace Cluster.Worker.Connection;

/// <summary>
/// Results of attempts that finished after their session ended (the worker was frozen, or its network path died).
/// They go to the current session, or wait for the next one: the coordinator, not the worker, decides whether an
/// attempt still counts, and counts the ones it rejects as stale.
/// </summary>
internal sealed class CarriedResults
{
    private const int MaxWaiting = 10_000;
    private readonly Lock _gate = new();
    private readonly Queue<ChunkResult> _waiting = new();
    private CoordinatorSession? _current;

    public void Add(ChunkResult result)
    {
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

    /// <summary>Makes <paramref name="session"/> the one carried results go to, and hands it those waiting.</summary>
    public void Attach(CoordinatorSession session)
    {
        lock (_gate)
        {
            _current = session;
            while (_waiting.TryPeek(out var result) && session.TrySendCarried(result))
            {
                _waiting.Dequeue();
            }
        }
    }

    public void Detach(CoordinatorSession session)
    {
        lock (_gate)
        {
            if (_current == session)
            {
                _current = null;
            }
        }
    }
}
