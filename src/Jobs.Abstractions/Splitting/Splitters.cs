using System.Globalization;

namespace Cluster.Jobs.Splitting;

/// <summary>
/// Ready-made splitters for the usual shapes of work: an integer range, a list of items, the lines of the input,
/// fixed-size blocks of the input. Each honours what the user asked for (<c>--chunks</c>, <c>--chunk-size</c>) and the
/// coordinator's limits, and reports a broken rule as a <see cref="JobParameterException"/> naming the field.
/// </summary>
public static class Splitters
{
    /// <summary>The largest chunk of input the input splitters produce by default: 16 MiB, what one message carries comfortably.</summary>
    public const int DefaultMaxChunkBytes = 16 * 1024 * 1024;

    /// <summary>Splits [<paramref name="start"/>, <paramref name="end"/>) into even contiguous ranges, or ranges of the requested chunk size.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="end"/> is not greater than <paramref name="start"/>.</exception>
    /// <exception cref="JobParameterException">The request would exceed the coordinator's chunk limit.</exception>
    public static Splitter<LongRange> Range(JobPlanContext context, long start, long end)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(end, start);
        return new LayoutSplitter(context.Chunking.Split(end - start), start);
    }

    /// <summary>Splits <paramref name="items"/> into contiguous batches; each chunk is the array of its items, in order.</summary>
    /// <exception cref="ArgumentException"><paramref name="items"/> is empty.</exception>
    /// <exception cref="JobParameterException">The request would exceed the coordinator's chunk limit.</exception>
    public static Splitter<T[]> Items<T>(JobPlanContext context, IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new ArgumentException("A job needs at least one item.", nameof(items));
        }

        return new ItemSplitter<T>(items, context.Chunking.Split(items.Count));
    }

    /// <summary>
    /// Splits the input into byte ranges of fixed size <paramref name="blockSize"/> (the last one may be shorter), one
    /// chunk each.
    /// </summary>
    /// <param name="context">The plan's context; its input is required.</param>
    /// <param name="blockSize">Bytes per block, 1 to <see cref="DefaultMaxChunkBytes"/>.</param>
    /// <param name="blockSizeName">The parameter that set the block size, named in the error when there would be too many blocks.</param>
    /// <exception cref="JobParameterException">No input was sent, or there would be more blocks than the coordinator allows.</exception>
    public static Splitter<LongRange> Blocks(JobPlanContext context, long blockSize, string blockSizeName = "block-size")
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blockSize, DefaultMaxChunkBytes);
        var layout = ChunkLayout.BySize(context.RequireInput().Length, blockSize);
        if (context.Chunking.MaxChunks > 0 && layout.Count > context.Chunking.MaxChunks)
        {
            throw new JobParameterException(
                blockSizeName,
                string.Create(CultureInfo.InvariantCulture, $"splits the input into {layout.Count} blocks; this coordinator allows at most {context.Chunking.MaxChunks}"));
        }

        return new LayoutSplitter(layout, 0);
    }

    /// <summary>
    /// Splits the input into runs of whole lines: an even byte split (as requested, capped at half of
    /// <paramref name="maxChunkBytes"/>), each inner boundary moved forward to just after the next <c>'\n'</c>. A
    /// <c>'\n'</c> never occurs inside a UTF-8 sequence, so no line or character is cut.
    /// </summary>
    /// <remarks>
    /// For an input read by reference (<see cref="JobPlanContext.InputByReference"/>) the coordinator does not scan it:
    /// each worker moves its range's ends to line starts with <see cref="LineRanges"/>, which gives the same chunks, and a
    /// chunk whose lines exceed <paramref name="maxChunkBytes"/> fails on the worker instead. For an uploaded input still
    /// arriving (<see cref="JobPlanContext.InputArriving"/>) the coordinator does the same when it writes the chunk's
    /// payload, once the line end after the chunk has arrived.
    /// </remarks>
    /// <exception cref="JobParameterException">No input was sent, a line is longer than <paramref name="maxChunkBytes"/>, or the request would exceed a limit.</exception>
    public static Splitter<LongRange> Lines(JobPlanContext context, int maxChunkBytes = DefaultMaxChunkBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChunkBytes, 2);
        if (context.InputByReference || context.InputArriving)
        {
            // The workers find the line starts, each at its own range's ends (LineRanges), with the same rule.
            return new ReferenceLineSplitter(context.Chunking.SplitCapped(context.RequireInput().Length, maxChunkBytes / 2, "bytes"), maxChunkBytes);
        }

        return new BoundarySplitter(LineBoundaries.Find(context.RequireInput(), context.Chunking, maxChunkBytes));
    }
}
