using System.Collections;
using Cluster.Coordinator.Membership;

namespace Cluster.Coordinator.Scheduling;

/// <summary>
/// A job's dispatch state: which chunks wait, which run where under which attempt, which are done, and what went
/// wrong with each. Not thread-safe: only the <see cref="Scheduler"/> touches it, under its lock. Chunks never
/// dispatched are a counter, not a list, so a job of millions of chunks costs a bit per chunk, not an object.
/// </summary>
internal sealed class ChunkQueue(long chunkCount)
{
    private const int DurationSamples = 255;
    private readonly BitArray _completed = new(checked((int)chunkCount));
    private readonly List<(long Chunk, int LastAttempt)> _retry = [];
    private readonly long[] _durations = new long[DurationSamples];
    private long _nextFresh;
    private long _elapsedSum;
    private long _elapsedCount;
    private long _median;
    private long _medianAtCount = -1;

    public long ChunkCount { get; } = chunkCount;

    /// <summary>The first running attempt of each running chunk.</summary>
    public Dictionary<long, InFlightAttempt> InFlight { get; } = [];

    /// <summary>Backup attempts of straggling chunks, beside their first attempt in <see cref="InFlight"/>.</summary>
    public Dictionary<long, InFlightAttempt> Backups { get; } = [];

    /// <summary>Failed attempts per chunk (only chunks that failed): where, and what was thrown.</summary>
    public Dictionary<long, List<(string WorkerId, string Text)>> Failures { get; } = [];

    /// <summary>Attempts lost with their worker, per chunk (only chunks that lost one).</summary>
    public Dictionary<long, List<string>> Losses { get; } = [];

    public bool HasPending => _retry.Count > 0 || _nextFresh < ChunkCount;

    /// <summary>Mean execution time of this job's chunks, once enough have finished to say.</summary>
    public long? MeanElapsedMicros => _elapsedCount >= 8 ? _elapsedSum / _elapsedCount : null;

    /// <summary>Median execution time of recent chunks, once at least three finished (recomputed only when one did).</summary>
    public long? MedianElapsedMicros
    {
        get
        {
            var n = (int)Math.Min(_elapsedCount, DurationSamples);
            if (n < 3)
            {
                return null;
            }

            if (_medianAtCount != _elapsedCount)
            {
                var copy = _durations.AsSpan(0, n).ToArray();
                Array.Sort(copy);
                _median = copy[n / 2];
                _medianAtCount = _elapsedCount;
            }

            return _median;
        }
    }

    /// <summary>
    /// Takes the next chunk to run on <paramref name="session"/>: a retry first, unless the chunk already failed on
    /// that worker and <paramref name="placement"/> says a worker it has not failed on could take it; otherwise a fresh chunk.
    /// </summary>
    public bool TryTake(WorkerSession session, Scheduler placement, out long chunk, out int attempt)
    {
        for (var i = 0; i < _retry.Count; i++)
        {
            var (candidate, last) = _retry[i];
            if (FailedOn(candidate, session.WorkerId) && placement.CouldRunElsewhere(this, candidate, session))
            {
                continue;
            }

            _retry.RemoveAt(i);
            (chunk, attempt) = (candidate, last + 1);
            return true;
        }

        if (_nextFresh < ChunkCount)
        {
            (chunk, attempt) = (_nextFresh++, 1);
            return true;
        }

        (chunk, attempt) = (-1, 0);
        return false;
    }

    public void Requeue(long chunk, int lastAttempt) => _retry.Add((chunk, lastAttempt));

    public bool IsCompleted(long chunk) => _completed[(int)chunk];

    public void MarkCompleted(long chunk)
    {
        _completed[(int)chunk] = true;
    }

    public void RecordElapsed(long micros)
    {
        _durations[_elapsedCount % DurationSamples] = micros;
        _elapsedSum += micros;
        _elapsedCount++;
    }

    /// <summary>Any other attempt of <paramref name="chunk"/> still running besides the one on <paramref name="session"/>.</summary>
    public bool HasOtherAttempt(long chunk, WorkerSession session) =>
        (InFlight.TryGetValue(chunk, out var a) && a.Session != session) || (Backups.TryGetValue(chunk, out var b) && b.Session != session);

    /// <summary>Removes the attempt <paramref name="session"/> runs of <paramref name="chunk"/>; a backup left alone becomes the first attempt.</summary>
    public bool TryRemoveAttempt(long chunk, WorkerSession session, int attempt, out InFlightAttempt removed)
    {
        if (InFlight.TryGetValue(chunk, out removed) && removed.Session == session && (attempt == 0 || removed.Attempt == attempt))
        {
            InFlight.Remove(chunk);
            if (Backups.Remove(chunk, out var backup))
            {
                InFlight[chunk] = backup;
            }

            return true;
        }

        if (Backups.TryGetValue(chunk, out removed) && removed.Session == session && (attempt == 0 || removed.Attempt == attempt))
        {
            Backups.Remove(chunk);
            return true;
        }

        return false;
    }

    /// <summary>The highest attempt number given to <paramref name="chunk"/> so far among those running.</summary>
    public int LastAttempt(long chunk, int atLeast) =>
        Math.Max(atLeast, Math.Max(InFlight.TryGetValue(chunk, out var a) ? a.Attempt : 0, Backups.TryGetValue(chunk, out var b) ? b.Attempt : 0));

    public void Clear()
    {
        _retry.Clear();
        _nextFresh = ChunkCount;
        InFlight.Clear();
        Backups.Clear();
    }

    public bool FailedOn(long chunk, string workerId) =>
        Failures.TryGetValue(chunk, out var failures) && failures.Exists(f => f.WorkerId == workerId);
}

/// <summary>One running attempt of a chunk: its number, the session it was sent to, and when (a TimeProvider timestamp).</summary>
internal readonly record struct InFlightAttempt(int Attempt, WorkerSession Session, long DispatchedAt, bool IsBackup);
