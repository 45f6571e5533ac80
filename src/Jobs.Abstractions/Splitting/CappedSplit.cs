using System.Globalization;

namespace Cluster.Jobs.Splitting;

/// <summary>
/// Splits like <see cref="ChunkingRequest.Split"/>, but keeps each chunk under a size a message can carry: more chunks
/// when the user left the choice to the kind, a clear error when the user asked for too few.
/// </summary>
internal static class CappedSplit
{
    public static ChunkLayout Split(ChunkingRequest chunking, long total, long maxUnits, string unitName)
    {
        var layout = chunking.Split(total);
        var largest = layout.Size > 0 ? layout.Size : (total + layout.Count - 1) / layout.Count;
        if (largest <= maxUnits)
        {
            return layout;
        }

        if (chunking.RequestedChunks > 0 || chunking.RequestedChunkSize > 0)
        {
            throw new JobParameterException(
                chunking.RequestedChunkSize > 0 ? "chunk_size" : "chunks",
                string.Create(CultureInfo.InvariantCulture, $"would make chunks of {largest} {unitName}; at most {maxUnits} fit in one chunk"));
        }

        var needed = (total + maxUnits - 1) / maxUnits;
        return (chunking with { RequestedChunks = needed }).Split(total);
    }
}
