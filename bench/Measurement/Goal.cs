using System.Globalization;

namespace Cluster.Bench.Measurement;

/// <summary>A target a figure's median should meet, for example "≥ 50,000".</summary>
/// <param name="Text">How the goal reads in the report.</param>
/// <param name="IsMetBy">Whether a median meets it.</param>
internal sealed record Goal(string Text, Func<double, bool> IsMetBy)
{
    public static Goal AtLeast(double target) => new("≥ " + Format(target), v => v >= target);

    public static Goal AtMost(double target) => new("≤ " + Format(target), v => v <= target);

    public static Goal Below(double target) => new("< " + Format(target), v => v < target);

    private static string Format(double value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);
}
