namespace Cluster.Jobs.Splitting;

/// <summary>Chunks that are contiguous ranges of a <see cref="ChunkLayout"/>, shifted by an origin.</summary>
internal sealed class LayoutSplitter(ChunkLayout layout, long origin) : Splitter<LongRange>
{
    public override long ChunkCount => layout.Count;

    public override LongRange GetChunk(long index)
    {
        var (start, end) = layout.Range(index);
        return new LongRange(origin + start, origin + end);
    }
}
