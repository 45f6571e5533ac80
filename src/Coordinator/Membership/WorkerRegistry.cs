using System.Collections.Concurrent;
using Cluster.Contracts.V1;

namespace Cluster.Coordinator.Membership;

/// <summary>Connected worker sessions by worker id, and the last departed ones with the reason they left.</summary>
internal sealed class WorkerRegistry
{
    private const int DepartedKept = 100;
    private readonly ConcurrentDictionary<string, WorkerSession> _connected = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<WorkerInfo> _departed = new();
    private readonly ConcurrentDictionary<(string WorkerId, int Pid), string> _exits = new();

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
        if (_exits.TryRemove((session.WorkerId, session.Pid), out var exit) || _exits.TryRemove((session.WorkerId, 0), out exit))
        {
            departed.DepartureReason = $"{departed.DepartureReason}; process {exit}";
        }

        _connected.TryRemove(new KeyValuePair<string, WorkerSession>(session.WorkerId, session));
        _departed.Enqueue(departed);
        while (_departed.Count > DepartedKept && _departed.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<WorkerInfo> Departed => [.. _departed.Reverse()];

    /// <summary>Adds how a worker's process ended (as its supervisor saw it) to its latest departure record.</summary>
    public bool AnnotateExit(string workerId, int pid, string description)
    {
        // The report may race the stream break: the record is found in either order, once the session is gone.
        var record = _departed.Reverse().FirstOrDefault(d => d.WorkerId == workerId && (pid == 0 || d.Pid == pid));
        if (record is null)
        {
            _exits[(workerId, pid)] = description;
            return _connected.ContainsKey(workerId);
        }

        lock (record)
        {
            record.DepartureReason = $"{record.DepartureReason}; process {description}";
        }

        return true;
    }
}
