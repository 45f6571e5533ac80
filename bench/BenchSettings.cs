namespace Cluster.Bench;

/// <summary>What the user asked for on the command line.</summary>
/// <param name="Quick">Smaller sizes, for a run of about a minute.</param>
/// <param name="Runs">Runs per figure; the report shows their median, min and max.</param>
/// <param name="Out">Where the JSON report goes.</param>
/// <param name="Markdown">Where the markdown table goes, or null for none.</param>
internal sealed record BenchSettings(bool Quick, int Runs, string Out, string? Markdown)
{
    /// <summary>Picks the full or the quick size of a workload parameter.</summary>
    public T Size<T>(T full, T quick) => Quick ? quick : full;
}
