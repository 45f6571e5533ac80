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
/// The attempts of one job, newest kept: a ring of at most a fixed number, each placed on a lane of its worker (the
/// lowest lane free when it started, so a worker's lanes are its busy compute slots). Written by the attempt ledger under
/// the dispatch lock, read by the dashboard; its own lock keeps the two apart. Memory stays bounded by the ring.
/// </summary>
internal sealed class JobTimeline
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly int _capacity;
    private readonly Dictionary<(long Chunk, int Attempt), int> _slots = [];
    private readonly Dictionary<string, List<bool>> _lanes = new(StringComparer.Ordinal);
    private Entry[] _ring = [];
    private long _written;

    public JobTimeline(TimeProvider time, int capacity)
    {
        _time = time;
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

    /// <summary>An attempt started on <paramref name="workerId"/>.</summary>
    public void Started(long chunk, int attempt, string workerId, bool backup)
    {
        lock (_gate)
        {
            if (_ring.Length < _capacity && _written == _ring.Length)
            {
                Array.Resize(ref _ring, Math.Min(_capacity, Math.Max(64, _ring.Length * 2)));
            }

            var index = (int)(_written % _ring.Length);
            if (_written >= _ring.Length)
            {
                ref var old = ref _ring[index];
                _slots.Remove((old.Chunk, old.Attempt));
                if (old.End == AttemptEnd.Running)
                {
                    FreeLane(old.WorkerId, old.Lane);
                }
            }

            _ring[index] = new Entry(chunk, attempt, workerId, TakeLane(workerId), backup, _time.GetTimestamp(), 0, AttemptEnd.Running, null);
            _slots[(chunk, attempt)] = index;
            _written++;
        }
    }

    /// <summary>An attempt ended as <paramref name="end"/>; a stale result marks an attempt that had already ended.</summary>
    public void Ended(long chunk, int attempt, AttemptEnd end, string? error = null)
    {
        lock (_gate)
        {
            if (!_slots.TryGetValue((chunk, attempt), out var index))
            {
                return;
            }

            ref var entry = ref _ring[index];
            if (entry.End == AttemptEnd.Running)
            {
                FreeLane(entry.WorkerId, entry.Lane);
                entry = entry with { EndStamp = _time.GetTimestamp(), End = end, Error = error };
            }
            else if (end == AttemptEnd.Stale)
            {
                entry = entry with { End = end };
            }
        }
    }

    /// <summary>The attempts kept, oldest first.</summary>
    public IReadOnlyList<TimelineAttempt> Snapshot()
    {
        lock (_gate)
        {
            var count = (int)Math.Min(_written, _ring.Length);
            var list = new List<TimelineAttempt>(count);
            for (var i = 0; i < count; i++)
            {
                var e = _ring[(int)((_written - count + i) % _ring.Length)];
                list.Add(new TimelineAttempt(
                    e.Chunk,
                    e.Attempt,
                    e.WorkerId,
                    e.Lane,
                    e.Backup,
                    Ms(e.StartStamp),
                    e.End == AttemptEnd.Running ? null : Ms(e.EndStamp),
                    e.End,
                    e.Error));
            }

            return list;
        }
    }

    /// <summary>Milliseconds from the timeline's start to now.</summary>
    public double Now() => Ms(_time.GetTimestamp());

    private double Ms(long stamp) => _time.GetElapsedTime(_origin, stamp).TotalMilliseconds;

    private int TakeLane(string workerId)
    {
        if (!_lanes.TryGetValue(workerId, out var lanes))
        {
            _lanes[workerId] = lanes = [];
        }

        var free = lanes.IndexOf(false);
        if (free < 0)
        {
            lanes.Add(true);
            return lanes.Count - 1;
        }

        lanes[free] = true;
        return free;
    }

    private void FreeLane(string workerId, int lane)
    {
        if (_lanes.TryGetValue(workerId, out var lanes) && lane < lanes.Count)
        {
            lanes[lane] = false;
        }
    }

    private readonly record struct Entry(long Chunk, int Attempt, string WorkerId, int Lane, bool Backup, long StartStamp, long EndStamp, AttemptEnd End, string? Error);
}
