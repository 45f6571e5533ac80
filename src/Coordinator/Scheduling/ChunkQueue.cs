using System.Collections;
using Cluster.Coordinator.Membership;

namespace Cluster.Coordinator.Scheduling;

/// <summary>
/// A job's dispatch state: which chunks wait, which run where under which attempt, which are done.
/// Not thread-safe: only the <see cref="Scheduler"/> touches it, under its lock. Chunks never dispatched are a
/// counter, not a list, so a job of millions of chunks costs a bit per chunk, not an object.
/// </summary>
internal sealed class ChunkQueue(long chunkCount)
{
    private readonly BitArray _completed = new(checked((int)chunkCount));
    private readonly Queue<(long Chunk, int LastAttempt)> _retry = new();
    private long _nextFresh;
    private long _elapsedSum;
    private long _elapsedCount;

    public long ChunkCount { get; } = chunkCount;

    public Dictionary<long, InFlightAttempt> InFlight { get; } = [];

    /// <summary>Failures recorded per chunk, only for chunks that failed at least once.</summary>
    public Dictionary<long, List<string>> Failures { get; } = [];

    public long CompletedCount { get; private set; }

    /// <summary>Mean execution time of this job's chunks, once enough have finished to say.</summary>
    public long? MeanElapsedMicros => _elapsedCount >= 8 ? _elapsedSum / _elapsedCount : null;

    public bool HasPending => _retry.Count > 0 || _nextFresh < ChunkCount;

    public (long Chunk, int Attempt) Take()
    {
        if (_retry.TryDequeue(out var retry))
        {
            return (retry.Chunk, retry.LastAttempt + 1);
        }

        return (_nextFresh++, 1);
    }

    public void Requeue(long chunk, int lastAttempt) => _retry.Enqueue((chunk, lastAttempt));

    public bool IsCompleted(long chunk) => _completed[(int)chunk];

    public void MarkCompleted(long chunk)
    {
        _completed[(int)chunk] = true;
        CompletedCount++;
    }

    public void RecordElapsed(long micros)
    {
        _elapsedSum += micros;
        _elapsedCount++;
    }

    public void Clear()
    {
        _retry.Clear();
        _nextFresh = ChunkCount;
        InFlight.Clear();
    }
}

/// <summary>One running attempt of a chunk: its number and the session it was sent to.</summary>
internal readonly record struct InFlightAttempt(int Attempt, WorkerSession Session);
