using System.Collections.Concurrent;
using Cluster.Contracts.V1;

namespace Cluster.Coordinator.Membership;

/// <summary>Connected worker sessions by worker id, and the last departed ones with the reason they left.</summary>
internal sealed class WorkerRegistry
{
    private const int DepartedKept = 100;
    private readonly ConcurrentDictionary<string, WorkerSession> _connected = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<WorkerInfo> _departed = new();

    public IReadOnlyCollection<WorkerSession> Connected => [.. _connected.Values];

    /// <summary>Registers a session; returns the session it replaces when a worker rejoins under the same id.</summary>
    public WorkerSession? Add(WorkerSession session)
    {
        WorkerSession? replaced = null;
        _connected.AddOrUpdate(session.WorkerId, session, (_, old) =>
        {
            replaced = old;
            return session;
        });
        return replaced;
    }

    /// <summary>Unregisters a session (if it is still the current one for its worker id) and remembers why it left.</summary>
    public void Remove(WorkerSession session, WorkerInfo departed)
    {
        _connected.TryRemove(new KeyValuePair<string, WorkerSession>(session.WorkerId, session));
        _departed.Enqueue(departed);
        while (_departed.Count > DepartedKept && _departed.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<WorkerInfo> Departed => [.. _departed.Reverse()];
}
