namespace Cluster.Jobs.BuiltIn.Pi;

/// <summary>
/// Monte Carlo estimate of π from a counter-based generator: sample <c>i</c> takes the SplitMix64 outputs number
/// <c>2i</c> and <c>2i + 1</c> of the stream seeded with the job's seed. Any sample can be computed on its own, so
/// the count is the same whatever the chunking, the order or the retries.
/// </summary>
public static class MonteCarloPi
{
    private const ulong Gamma = 0x9E3779B97F4A7C15;
    private const double UnitScale = 1.0 / (1UL << 53);

    // How many samples run between two looks at the cancellation token.
    private const long CancellationStride = 1 << 20;

    /// <summary>Counts the samples in [<paramref name="start"/>, <paramref name="end"/>) that fall inside the unit circle.</summary>
    public static long CountInside(long seed, long start, long end, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        long inside = 0;
        for (var blockStart = start; blockStart < end; blockStart += CancellationStride)
        {
            cancellationToken.ThrowIfCancellationRequested();
            inside += CountBlock((ulong)seed, blockStart, Math.Min(end, blockStart + CancellationStride));
        }

        return inside;
    }

    /// <summary>The SplitMix64 output number <paramref name="index"/> (from 0) of the stream seeded with <paramref name="seed"/>.</summary>
    public static ulong SplitMix64(ulong seed, ulong index) => Finalize(unchecked(seed + ((index + 1) * Gamma)));

    private static long CountBlock(ulong seed, long start, long end)
    {
        long inside = 0;
        var state = unchecked(seed + ((((ulong)start * 2) + 1) * Gamma));
        for (var i = start; i < end; i++)
        {
            var x = (Finalize(state) >> 11) * UnitScale;
            var y = (Finalize(unchecked(state + Gamma)) >> 11) * UnitScale;
            inside += (x * x) + (y * y) < 1.0 ? 1 : 0;
            state = unchecked(state + (2 * Gamma));
        }

        return inside;
    }

    private static ulong Finalize(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EB);
        return z ^ (z >> 31);
    }
}
