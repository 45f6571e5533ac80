namespace Cluster.Jobs.Splitting;

/// <summary>
/// <see cref="Splitters.Lines"/> for an input read by reference: the nominal even byte split, unscanned; each worker
/// moves its range to line starts with <see cref="LineRanges"/>, reading at most <see cref="MaxChunkBytes"/>.
/// </summary>
internal sealed class ReferenceLineSplitter(ChunkLayout layout, int maxChunkBytes) : Splitter<LongRange>
{
    public int MaxChunkBytes => maxChunkBytes;

    public override long ChunkCount => layout.Count;

    public override LongRange GetChunk(long index)
    {
        var (start, end) = layout.Range(index);
        return new LongRange(start, end);
    }
}
