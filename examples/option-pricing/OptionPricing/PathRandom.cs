namespace Cluster.Examples.OptionPricing;

/// <summary>
/// The random numbers of one path: a SplitMix64 stream keyed by the seed and the path's index, so a path draws the same
/// numbers whichever chunk, worker or attempt runs it. Normals by the Box–Muller transform.
/// </summary>
internal struct PathRandom(long seed, long path)
{
    private ulong _state = Mix(((ulong)seed * 0x9E3779B97F4A7C15UL) ^ Mix((ulong)path + 0x632BE59BD9B4E019UL));
    private double _spare = double.NaN;

    public double NextNormal()
    {
        if (!double.IsNaN(_spare))
        {
            var spare = _spare;
            _spare = double.NaN;
            return spare;
        }

        var radius = Math.Sqrt(-2 * Math.Log(NextUniform()));
        var angle = 2 * Math.PI * NextUniform();
        _spare = radius * Math.Sin(angle);
        return radius * Math.Cos(angle);
    }

    /// <summary>Uniform in (0, 1]: never 0, so its logarithm is finite.</summary>
    private double NextUniform()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return ((Mix(_state) >> 11) + 1) * (1.0 / (1UL << 53));
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
