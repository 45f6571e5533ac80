namespace Cluster.Coordinator.Scheduling;

/// <summary>
/// The chunks of one job that wait to run: those never sent (a counter, not a list, so a job of millions of chunks
/// costs nothing per chunk) and those that must run again (after a failure, a loss or a release). Not thread-safe:
/// used under the <see cref="DispatchLock"/>.
/// </summary>
internal sealed class ChunkQueue(long chunkCount)
{
    private readonly List<(long Chunk, int LastAttempt)> _retries = [];
    private long _nextFresh;
    private long _released = chunkCount;
    private Func<long, bool>? _done;

    public long ChunkCount { get; } = chunkCount;

    /// <summary>
    /// Chunks [0, Released) may be taken fresh; the others wait for their bytes (an upload still arriving, see
    /// <see cref="Withhold"/>). All of them unless withheld. Withheld chunks still count as pending.
    /// </summary>
    public long Released => _released;

    public bool HasPending => _retries.Count > 0 || _nextFresh < ChunkCount;

    /// <summary>Chunks waiting to run again, oldest first.</summary>
    public int RetryCount => _retries.Count;

    /// <summary>The chunk at <paramref name="index"/> among those waiting to run again (see <see cref="RetryCount"/>).</summary>
    public long RetryAt(int index) => _retries[index].Chunk;

    /// <summary>Takes the retry at <paramref name="index"/>; returns the attempt number it runs under.</summary>
    public int TakeRetryAt(int index)
    {
        var last = _retries[index].LastAttempt;
        _retries.RemoveAt(index);
        return last + 1;
    }

    /// <summary>Takes the next chunk never sent, if any is left; it runs as attempt 1.</summary>
    public bool TryTakeFresh(out long chunk)
    {
        // A chunk may have been done since the last take (a result resent after a restart).
        SkipDone();
        if (_nextFresh < _released)
        {
            chunk = _nextFresh++;
            SkipDone();
            return true;
        }

        chunk = -1;
        return false;
    }

    /// <summary>No chunk may be taken fresh until <see cref="Release"/>d: a job whose input is still uploading.</summary>
    public void Withhold() => _released = 0;

    /// <summary>Lets chunks [0, <paramref name="count"/>) be taken fresh; returns whether that released any new one.</summary>
    public bool Release(long count)
    {
        count = Math.Min(count, ChunkCount);
        if (count <= _released)
        {
            return false;
        }

        _released = count;
        return true;
    }

    /// <summary>After a restart: chunks already done (merged before it, or resent since) are never taken fresh.</summary>
    public void SkipCompleted(Func<long, bool> done)
    {
        _done = done;
        SkipDone();
    }

    private void SkipDone()
    {
        while (_done is not null && _nextFresh < ChunkCount && _done(_nextFresh))
        {
            _nextFresh++;
        }
    }

    /// <summary>Puts a chunk back to run again after <paramref name="lastAttempt"/>, the highest attempt number it had.</summary>
    public void Requeue(long chunk, int lastAttempt) => _retries.Add((chunk, lastAttempt));

    /// <summary>Drops everything that waits: the job finished.</summary>
    public void Clear()
    {
        _retries.Clear();
        _nextFresh = ChunkCount;
    }
}
