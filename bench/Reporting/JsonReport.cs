using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cluster.Bench.Reporting;

/// <summary>The machine-readable report: machine, date, settings, and each figure with median/min/max/unit/goal/met.</summary>
internal static class JsonReport
{
    public static JsonObject ToJson(BenchReport report) => new()
    {
        ["date"] = report.Date.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["machine"] = new JsonObject
        {
            ["cores"] = report.Machine.Cores,
            ["memoryBytes"] = report.Machine.MemoryBytes,
            ["cpu"] = report.Machine.Cpu,
            ["os"] = report.Machine.Os,
            ["dotnet"] = report.Machine.DotNet,
            ["host"] = report.Machine.Host,
            ["loadAverageStart"] = report.Load.Start,
            ["loadAverageEnd"] = report.Load.End,
        },
        ["settings"] = new JsonObject { ["quick"] = report.Settings.Quick, ["runs"] = report.Settings.Runs },
        ["figures"] = new JsonArray([.. report.Figures.Select(f => (JsonNode)new JsonObject
        {
            ["id"] = f.Spec.Id,
            ["workload"] = f.Spec.Workload,
            ["title"] = f.Spec.Title,
            ["median"] = f.Median,
            ["min"] = f.Min,
            ["max"] = f.Max,
            ["runs"] = f.Runs,
            ["unit"] = f.Spec.Unit,
            ["signed"] = f.Spec.Signed,
            ["goal"] = f.Spec.Goal?.Text,
            ["met"] = f.Met,
        })]),
        ["failures"] = new JsonArray([.. report.Failures.Select(f => (JsonNode)new JsonObject { ["workload"] = f.Workload, ["error"] = f.Error })]),
    };

    public static async Task WriteAsync(BenchReport report, string path, CancellationToken cancellationToken)
    {
        var json = ToJson(report).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        await WriteFileAsync(path, json, cancellationToken);
    }

    /// <summary>Writes <paramref name="text"/>, creating the folder first.</summary>
    public static async Task WriteFileAsync(string path, string text, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, text + Environment.NewLine, cancellationToken);
    }
}
