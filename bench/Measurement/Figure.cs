namespace Cluster.Bench.Measurement;

/// <summary>One figure over all runs: the median with the spread beside it.</summary>
internal sealed record Figure(FigureSpec Spec, double Median, double Min, double Max, int Runs)
{
    /// <summary>Whether the median meets the goal; null when the figure has none.</summary>
    public bool? Met => Spec.Goal?.IsMetBy(Median);

    public static Figure Of(FigureSpec spec, IReadOnlyList<double> samples)
    {
        ArgumentOutOfRangeException.ThrowIfZero(samples.Count);
        return new Figure(spec, Stats.Median(samples), samples.Min(), samples.Max(), samples.Count);
    }
}

/// <summary>Order statistics of samples.</summary>
internal static class Stats
{
    /// <summary>The middle value; the mean of the two middle ones for an even count.</summary>
    public static double Median(IReadOnlyList<double> values) => Percentile(values, 0.5);

    /// <summary>The <paramref name="fraction"/> percentile with linear interpolation between the nearest ranks.</summary>
    public static double Percentile(IReadOnlyList<double> values, double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        var sorted = values.Order().ToArray();
        var rank = fraction * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((rank - low) * (sorted[high] - sorted[low]));
    }
}
