namespace Cluster.Coordinator.Attempts;

/// <summary>
/// One job's log of every attempt of every chunk that did not succeed at once: failed, lost, stale, beaten by another
/// attempt, cancelled with the job, and the retry that finally succeeded. Bounded: the first <c>capacity</c> entries
/// are kept (the first faults of a job are the ones that explain it), later ones only counted in
/// <see cref="Omitted"/>. Written under the dispatch lock (or by start-up recovery), read by status queries on any
/// thread; its own lock keeps the two apart. Costs nothing for a job whose chunks all succeed at once.
/// </summary>
internal sealed class AttemptLog
{
    private readonly Lock _gate = new();
    private List<AttemptRecord>? _entries;
    private long _omitted;

    /// <summary>Attempts past the bound, counted but not kept.</summary>
    public long Omitted
    {
        get
        {
            lock (_gate)
            {
                return _omitted;
            }
        }
    }

    /// <summary>Adds <paramref name="entry"/> if fewer than <paramref name="capacity"/> are kept; returns whether it was kept.</summary>
    public bool Add(AttemptRecord entry, int capacity)
    {
        lock (_gate)
        {
            _entries ??= [];
            if (_entries.Count >= capacity)
            {
                _omitted++;
                return false;
            }

            _entries.Add(entry);
            return true;
        }
    }

    /// <summary>A copy of the kept entries, in the order they ended, and the count of those past the bound.</summary>
    public (IReadOnlyList<AttemptRecord> Entries, long Omitted) Snapshot()
    {
        lock (_gate)
        {
            return (_entries is null ? [] : [.. _entries], _omitted);
        }
    }

    /// <summary>Start-up: the entries and count the journal kept for the job.</summary>
    public void Restore(IEnumerable<AttemptRecord> entries, long omitted)
    {
        lock (_gate)
        {
            _entries = [.. entries];
            _omitted = omitted;
        }
    }
}
