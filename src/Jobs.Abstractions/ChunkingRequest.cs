using System.Globalization;

namespace Cluster.Jobs;

/// <summary>How a job should be split: what the user asked for, and the coordinator's default.</summary>
/// <param name="RequestedChunks">Chunks the user asked for, or 0.</param>
/// <param name="RequestedChunkSize">Chunk size the user asked for, in the kind's own unit, or 0.</param>
/// <param name="DefaultChunks">What the coordinator suggests when the user asked for nothing: a few chunks per worker thread.</param>
/// <param name="MaxChunks">The most chunks a job may have on this coordinator.</param>
public readonly record struct ChunkingRequest(long RequestedChunks, long RequestedChunkSize, long DefaultChunks, long MaxChunks)
{
    /// <summary>
    /// Splits <paramref name="total"/> units (numbers, samples, rows) into even chunks as requested:
    /// by chunk size if one was given, else by chunk count, else by the default; never more chunks than units.
    /// </summary>
    /// <exception cref="JobParameterException">The request would exceed <see cref="MaxChunks"/>.</exception>
    public ChunkLayout Split(long total)
    {
        if (total <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(total), total, "A job must have at least one unit of work.");
        }

        long count;
        if (RequestedChunkSize > 0)
        {
            count = (total / RequestedChunkSize) + (total % RequestedChunkSize == 0 ? 0 : 1);
        }
        else
        {
            count = RequestedChunks > 0 ? RequestedChunks : Math.Max(1, DefaultChunks);
            count = Math.Min(count, total);
        }

        if (MaxChunks > 0 && count > MaxChunks)
        {
            var field = RequestedChunkSize > 0 ? "chunk_size" : "chunks";
            throw new JobParameterException(field, $"would split the job into {count} chunks; this coordinator allows at most {MaxChunks}");
        }

        return RequestedChunkSize > 0 ? ChunkLayout.BySize(total, RequestedChunkSize) : ChunkLayout.Even(total, count);
    }

    /// <summary>
    /// Splits like <see cref="Split"/>, but keeps every chunk at or under <paramref name="maxUnits"/> units (so that its
    /// payload or output fits in one message): more chunks when the user left the choice to the kind, a clear error when
    /// the user asked for too few or too large ones.
    /// </summary>
    /// <param name="total">Units in all.</param>
    /// <param name="maxUnits">The most units one chunk may hold.</param>
    /// <param name="unitName">Plural name of the unit, for the error message, for example <c>bytes</c> or <c>rows</c>.</param>
    /// <exception cref="JobParameterException">The user's request makes chunks over <paramref name="maxUnits"/>, or too many chunks.</exception>
    public ChunkLayout SplitCapped(long total, long maxUnits, string unitName)
    {
        var layout = Split(total);
        var largest = layout.Size > 0 ? layout.Size : (total + layout.Count - 1) / layout.Count;
        if (largest <= maxUnits)
        {
            return layout;
        }

        if (RequestedChunks > 0 || RequestedChunkSize > 0)
        {
            throw new JobParameterException(
                RequestedChunkSize > 0 ? "chunk_size" : "chunks",
                string.Create(CultureInfo.InvariantCulture, $"would make chunks of {largest} {unitName}; at most {maxUnits} fit in one chunk"));
        }

        var needed = (total + maxUnits - 1) / maxUnits;
        return (this with { RequestedChunks = needed }).Split(total);
    }
}

/// <summary>A split of <see cref="Total"/> units into <see cref="Count"/> contiguous chunks.</summary>
public sealed record ChunkLayout
{
    private ChunkLayout(long total, long count, long size)
    {
        Total = total;
        Count = count;
        Size = size;
    }

    /// <summary>Units in all.</summary>
    public long Total { get; }

    /// <summary>Number of chunks.</summary>
    public long Count { get; }

    /// <summary>Fixed chunk size (the last chunk may be shorter), or 0 for an even split.</summary>
    public long Size { get; }

    /// <summary>Chunks of <paramref name="size"/> units each; the last one takes the remainder.</summary>
    public static ChunkLayout BySize(long total, long size) =>
        new(total, (total / size) + (total % size == 0 ? 0 : 1), size);

    /// <summary><paramref name="count"/> chunks whose sizes differ by at most one unit.</summary>
    public static ChunkLayout Even(long total, long count) => new(total, count, 0);

    /// <summary>The half-open range [Start, End) of units, relative to 0, that chunk <paramref name="index"/> covers.</summary>
    public (long Start, long End) Range(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        if (Size > 0)
        {
            var start = index * Size;
            return (start, Math.Min(Total, start + Size));
        }

        // Int128 keeps index * total exact for totals near long.MaxValue.
        var from = (long)((Int128)index * Total / Count);
        var to = (long)((Int128)(index + 1) * Total / Count);
        return (from, to);
    }
}
