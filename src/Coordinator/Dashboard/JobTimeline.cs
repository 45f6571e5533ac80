using Cluster.Coordinator.Attempts;

namespace Cluster.Coordinator.Dashboard;

/// <summary>How an attempt in a timeline ended (or that it still runs).</summary>
internal enum AttemptEnd : byte
{
    /// <summary>Still running.</summary>
    Running,

    /// <summary>Its output was merged.</summary>
    Done,

    /// <summary>It threw.</summary>
    Failed,

    /// <summary>Its worker left while it ran.</summary>
    Lost,

    /// <summary>Its result came after the attempt had been taken back (lost, beaten, or its job over): discarded.</summary>
    Stale,

    /// <summary>Stopped unfinished: another attempt of its chunk won, its worker released it, or its job ended.</summary>
    Cancelled,
}

/// <summary>One attempt as the timeline shows it; times in milliseconds since the timeline began.</summary>
internal readonly record struct TimelineAttempt(long Chunk, int Attempt, string WorkerId, int Lane, bool Backup, double StartMs, double? EndMs, AttemptEnd End, string? Error);

/// <summary>
/// The attempts of one job, newest kept in a ring of at most a fixed number. Recording costs the dispatch path only
/// while a dashboard page is open (<c>watched</c>): otherwise a first attempt that succeeds is never recorded, and the
/// odd ones (retries, backups, and first attempts that failed, were lost, went stale or were cancelled) are recorded
/// when they start or, for a first attempt, when it ends, from the start time its ledger entry kept. So an opened page
/// shows every attempt since it opened and every odd one before. Lanes (a worker's concurrent attempts, lowest free
/// first) are laid out when the dashboard reads, not when dispatch writes. Written under the dispatch lock, read by the
/// dashboard; its own lock keeps the two apart.
/// </summary>
internal sealed class JobTimeline
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Func<bool> _watched;
    private readonly long _origin;
    private readonly int _capacity;
    private readonly Dictionary<(long Chunk, int Attempt), long> _running = [];
    private Entry[] _ring = [];
    private long _written;
    private int _runningCount;

    /// <param name="time">The clock of the attempts' start stamps.</param>
    /// <param name="capacity">Attempts kept, the newest.</param>
    /// <param name="watched">Whether a page watches now (record every attempt); null for always.</param>
    public JobTimeline(TimeProvider time, int capacity, Func<bool>? watched = null)
    {
        _time = time;
        _watched = watched ?? (static () => true);
        _origin = time.GetTimestamp();
        _capacity = capacity;
    }

    /// <summary>Attempts recorded so far, more than the ring keeps once it wrapped.</summary>
    public long Recorded
    {
        get
        {
            lock (_gate)
            {
                return _written;
            }
        }
    }

    /// <summary>An attempt started on <paramref name="workerId"/>: recorded if a page watches, or it is a retry or a backup.</summary>
    public void Started(long chunk, int attempt, string workerId, bool backup)
    {
        if (attempt == 1 && !backup && !_watched())
        {
            return;
        }

        lock (_gate)
        {
            _running[(chunk, attempt)] = Append(new Entry(chunk, attempt, workerId, backup, _time.GetTimestamp(), 0, AttemptEnd.Running, null));
            Volatile.Write(ref _runningCount, _running.Count);
        }
    }

    /// <summary>
    /// An attempt that ran ended as <paramref name="end"/>. One not recorded at its start is recorded now (from
    /// <paramref name="startedAt"/>, a timestamp of the same clock) unless it simply succeeded.
    /// </summary>
    public void Ended(long chunk, int attempt, string workerId, bool backup, long startedAt, AttemptEnd end, string? error = null)
    {
        // The common case while no page watches: a first attempt succeeded and nothing recorded is running.
        if (end == AttemptEnd.Done && Volatile.Read(ref _runningCount) == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_running.Remove((chunk, attempt), out var sequence))
            {
                Volatile.Write(ref _runningCount, _running.Count);
                _ring[(int)(sequence % _ring.Length)] = _ring[(int)(sequence % _ring.Length)] with { EndStamp = _time.GetTimestamp(), End = end, Error = error };
            }
            else if (end != AttemptEnd.Done)
            {
                Append(new Entry(chunk, attempt, workerId, backup, startedAt, _time.GetTimestamp(), end, error));
            }
        }
    }

    /// <summary>An attempt of the ledger ended as <paramref name="end"/>.</summary>
    public void Ended(long chunk, in RunningAttempt attempt, AttemptEnd end, string? error = null) =>
        Ended(chunk, attempt.Attempt, attempt.Holder.Session.WorkerId, attempt.IsBackup, attempt.StartedAt, end, error);

    /// <summary>A result came for an attempt that had already ended (lost or beaten): its entry, if kept, shows it stale.</summary>
    public void MarkStale(long chunk, int attempt)
    {
        lock (_gate)
        {
            // Rare (a late result), so a scan of the ring, newest first, rather than an index kept for every attempt.
            var count = (int)Math.Min(_written, _ring.Length);
            for (var i = 1; i <= count; i++)
            {
                ref var entry = ref _ring[(int)((_written - i) % _ring.Length)];
                if (entry.Chunk == chunk && entry.Attempt == attempt)
                {
                    if (entry.End != AttemptEnd.Running)
                    {
                        entry = entry with { End = AttemptEnd.Stale };
                    }

                    return;
                }
            }
        }
    }

    /// <summary>The attempts kept, in the order they were recorded, each on its worker's lowest lane free when it started.</summary>
    public IReadOnlyList<TimelineAttempt> Snapshot()
    {
        Entry[] entries;
        lock (_gate)
        {
            var count = (int)Math.Min(_written, _ring.Length);
            entries = new Entry[count];
            for (var i = 0; i < count; i++)
            {
                entries[i] = _ring[(int)((_written - count + i) % _ring.Length)];
            }
        }

        var lanes = Lanes(entries);
        var list = new List<TimelineAttempt>(entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var e = entries[i];
            list.Add(new TimelineAttempt(e.Chunk, e.Attempt, e.WorkerId, lanes[i], e.Backup, Ms(e.StartStamp), e.End == AttemptEnd.Running ? null : Ms(e.EndStamp), e.End, e.Error));
        }

        return list;
    }

    /// <summary>Milliseconds from the timeline's start to now.</summary>
    public double Now() => Ms(_time.GetTimestamp());

    // Per worker, in start order: the lowest lane whose last attempt ended by then (a running one holds its lane).
    private static int[] Lanes(Entry[] entries)
    {
        var lanes = new int[entries.Length];
        var busyUntil = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var i in Enumerable.Range(0, entries.Length).OrderBy(i => entries[i].StartStamp))
        {
            var e = entries[i];
            if (!busyUntil.TryGetValue(e.WorkerId, out var ends))
            {
                busyUntil[e.WorkerId] = ends = [];
            }

            var start = e.StartStamp;
            var lane = ends.FindIndex(end => end <= start);
            if (lane < 0)
            {
                lane = ends.Count;
                ends.Add(0);
            }

            ends[lane] = e.End == AttemptEnd.Running ? long.MaxValue : e.EndStamp;
            lanes[i] = lane;
        }

        return lanes;
    }

    private double Ms(long stamp) => _time.GetElapsedTime(_origin, stamp).TotalMilliseconds;

    // Under the gate; returns the entry's sequence number. The ring grows by doubling until it holds the capacity, and
    // only before it first wraps, so an entry's index is always its sequence number modulo the ring's length.
    private long Append(Entry entry)
    {
        if (_ring.Length < _capacity && _written == _ring.Length)
        {
            Array.Resize(ref _ring, Math.Min(_capacity, Math.Max(64, _ring.Length * 2)));
        }

        var index = (int)(_written % _ring.Length);
        if (_written >= _ring.Length && _ring[index].End == AttemptEnd.Running)
        {
            _running.Remove((_ring[index].Chunk, _ring[index].Attempt));
            Volatile.Write(ref _runningCount, _running.Count);
        }

        _ring[index] = entry;
        return _written++;
    }

    private readonly record struct Entry(long Chunk, int Attempt, string WorkerId, bool Backup, long StartStamp, long EndStamp, AttemptEnd End, string? Error);
}
