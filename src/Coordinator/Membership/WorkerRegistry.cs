using System.Collections.Concurrent;
using Cluster.Contracts.V1;

namespace Cluster.Coordinator.Membership;

/// <summary>Connected worker sessions by worker id, and the last departed ones with the reason they left.</summary>
internal sealed class WorkerRegistry
{
    private const int DepartedKept = 100;
    private readonly ConcurrentDictionary<string, WorkerSession> _connected = new(StringComparer.Ordinal);

    // Departures and exit reports meet here in either order (a supervisor's report can beat the broken stream), so one lock guards both.
    private readonly Lock _gate = new();
    private readonly Queue<WorkerInfo> _departed = new();
    private readonly Dictionary<(string WorkerId, int Pid), string> _exits = [];

    public IReadOnlyCollection<WorkerSession> Connected => [.. _connected.Values];

    /// <summary>The last departed workers, newest first (copies).</summary>
    public IReadOnlyList<WorkerInfo> Departed
    {
        get
        {
            lock (_gate)
            {
                return [.. _departed.Reverse().Select(d => d.Clone())];
            }
        }
    }

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
        lock (_gate)
        {
            if (_exits.Remove((session.WorkerId, session.Pid), out var exit))
            {
                departed.DepartureReason = $"{departed.DepartureReason}; process {exit}";
            }

            _departed.Enqueue(departed);
            while (_departed.Count > DepartedKept)
            {
                _departed.Dequeue();
            }
        }
    }

    /// <summary>Adds how a worker's process ended (as its supervisor saw it) to its departure record, now or when it departs.</summary>
    /// <returns>Whether a worker with that id is known (departed, or still connected).</returns>
    public bool AnnotateExit(string workerId, int pid, string description)
    {
        lock (_gate)
        {
            var record = _departed.Reverse().FirstOrDefault(d => d.WorkerId == workerId && d.Pid == pid);
            if (record is null)
            {
                _exits[(workerId, pid)] = description;
                return _connected.ContainsKey(workerId);
            }

            record.DepartureReason = $"{record.DepartureReason}; process {description}";
            return true;
        }
    }
}
