using System.Collections.Concurrent;

namespace Cluster.Coordinator.Membership;

/// <summary>Connected worker sessions by worker id, and the last departed ones with the reason they left.</summary>
internal sealed class WorkerRegistry
{
    private const int DepartedKept = 100;
    private readonly ConcurrentDictionary<string, WorkerSession> _connected = new(StringComparer.Ordinal);

    // Departures and exit reports meet here in either order (a supervisor's report can beat the broken stream), so one lock guards both.
    private readonly Lock _gate = new();
    private readonly List<DepartedWorker> _departed = [];
    private readonly Dictionary<(string WorkerId, int Pid), string> _exits = [];

    public IReadOnlyCollection<WorkerSession> Connected => [.. _connected.Values];

    /// <summary>The last departed workers, newest first.</summary>
    public IReadOnlyList<DepartedWorker> Departed
    {
        get
        {
            lock (_gate)
            {
                return [.. Enumerable.Reverse(_departed)];
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
    public void Remove(WorkerSession session)
    {
        _connected.TryRemove(new KeyValuePair<string, WorkerSession>(session.WorkerId, session));
        var departed = DepartedWorker.Of(session);
        lock (_gate)
        {
            if (_exits.Remove((session.WorkerId, session.Pid), out var exit))
            {
                departed = WithExit(departed, exit);
            }

            _departed.Add(departed);
            if (_departed.Count > DepartedKept)
            {
                _departed.RemoveAt(0);
            }
        }
    }

    /// <summary>Adds how a worker's process ended (as its supervisor saw it) to its departure record, now or when it departs.</summary>
    /// <returns>Whether a worker with that id is known (departed, or still connected).</returns>
    public bool AnnotateExit(string workerId, int pid, string description)
    {
        lock (_gate)
        {
            var index = _departed.FindLastIndex(d => d.WorkerId == workerId && d.Pid == pid);
            if (index < 0)
            {
                _exits[(workerId, pid)] = description;
                return _connected.ContainsKey(workerId);
            }

            _departed[index] = WithExit(_departed[index], description);
            return true;
        }
    }

    private static DepartedWorker WithExit(DepartedWorker departed, string exit) =>
        departed with { DepartureReason = $"{departed.DepartureReason}; process {exit}" };
}
