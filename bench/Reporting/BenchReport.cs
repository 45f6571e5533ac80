using System.Globalization;
using Cluster.Bench.Infrastructure;
using Cluster.Bench.Measurement;

namespace Cluster.Bench.Reporting;

/// <summary>Everything one bench invocation measured, and what went wrong.</summary>
/// <param name="Machine">Where.</param>
/// <param name="Date">When it finished.</param>
/// <param name="Settings">How it was run.</param>
/// <param name="Figures">Every figure, in the order measured.</param>
/// <param name="Failures">Workloads that could not be measured, with the reason.</param>
/// <param name="Load">The 1-minute load average at the start and at the end: other work on the same cores skews every figure.</param>
internal sealed record BenchReport(
    MachineInfo Machine,
    DateTimeOffset Date,
    BenchSettings Settings,
    IReadOnlyList<Figure> Figures,
    IReadOnlyList<(string Workload, string Error)> Failures,
    (double Start, double End) Load)
{
    public string MachineLine =>
        string.Create(CultureInfo.InvariantCulture, $"{Machine.Summary}; load average {Load.Start:0.##} at the start, {Load.End:0.##} at the end");

    public static string Format(double value)
    {
        var magnitude = Math.Abs(value);
        var format = magnitude >= 1000 ? "#,0" : magnitude >= 100 ? "0" : magnitude >= 1 ? "0.00" : "0.000";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    public static string MetText(bool? met) => met switch
    {
        true => "yes",
        false => "NO",
        null => string.Empty,
    };

    /// <summary>The columns of the table, shared by the console and the markdown file.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["Workload", "Figure", "Median", "Min", "Max", "Unit", "Goal", "Met"];

    /// <summary>One table row per figure, as text.</summary>
    public IEnumerable<IReadOnlyList<string>> Rows() => Figures.Select(f => (IReadOnlyList<string>)
    [
        f.Spec.Workload, f.Spec.Title, Format(f.Median), Format(f.Min), Format(f.Max), f.Spec.Unit, f.Spec.Goal?.Text ?? string.Empty, MetText(f.Met),
    ]);

    public string Heading =>
        $"Cluster bench, {Date:yyyy-MM-dd HH:mm} UTC{(Settings.Quick ? ", quick" : string.Empty)}, median of {Settings.Runs} run{(Settings.Runs == 1 ? string.Empty : "s")} (min and max beside it)";
}
