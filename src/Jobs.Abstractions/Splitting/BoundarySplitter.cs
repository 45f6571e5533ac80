namespace Cluster.Jobs.Splitting;

/// <summary>Chunks between precomputed boundaries: 0, the inner ones in increasing order, then the end.</summary>
internal sealed class BoundarySplitter(long[] boundaries) : Splitter<LongRange>
{
    public override long ChunkCount => boundaries.Length - 1;

    public override LongRange GetChunk(long index) => new(boundaries[index], boundaries[index + 1]);
}
