namespace Cluster.Bench.Swarm;

/// <summary>Percentiles by nearest rank: the smallest value that at least that fraction of the values do not exceed.</summary>
internal static class Percentiles
{
    /// <exception cref="InvalidOperationException">There are no values.</exception>
    public static double NearestRank(IEnumerable<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0
            ? throw new InvalidOperationException("No values to take a percentile of.")
            : sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
    }
}
