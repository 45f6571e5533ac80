namespace Cluster.Jobs.Splitting;

/// <summary>The half-open range [<paramref name="Start"/>, <paramref name="End"/>) of integers: numbers, samples, rows or byte offsets.</summary>
/// <param name="Start">First value, inclusive.</param>
/// <param name="End">End, exclusive; at least <paramref name="Start"/>.</param>
public readonly record struct LongRange(long Start, long End)
{
    /// <summary>How many values the range holds.</summary>
    public long Length => End - Start;
}
