namespace Cluster.Jobs.Splitting;

/// <summary>Chunks that are contiguous runs of a list of items.</summary>
internal sealed class ItemSplitter<T>(IReadOnlyList<T> items, ChunkLayout layout) : Splitter<T[]>
{
    public override long ChunkCount => layout.Count;

    public override T[] GetChunk(long index)
    {
        var (start, end) = layout.Range(index);
        var chunk = new T[end - start];
        for (var i = 0; i < chunk.Length; i++)
        {
            chunk[i] = items[(int)start + i];
        }

        return chunk;
    }
}
