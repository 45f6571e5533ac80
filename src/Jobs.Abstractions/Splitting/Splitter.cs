namespace Cluster.Jobs.Splitting;

/// <summary>
/// A job split into chunks, on the coordinator: how many there are and what each one is. Chunks are produced lazily,
/// when dispatched, so a job of millions of chunks never holds them all.
/// </summary>
/// <typeparam name="TChunk">What a worker needs to run one chunk: a range, a batch of items, a slice of the input.</typeparam>
/// <remarks>
/// <see cref="GetChunk"/> may be called from several threads at once and more than once for the same chunk (retries);
/// it must return equal values each time. <see cref="Splitters"/> has the usual ones.
/// </remarks>
public abstract class Splitter<TChunk>
{
    /// <summary>Number of chunks, at least 1.</summary>
    public abstract long ChunkCount { get; }

    /// <summary>Chunk number <paramref name="index"/> (from 0).</summary>
    public abstract TChunk GetChunk(long index);
}
