using System.Text;

namespace Cluster.Jobs;

/// <summary>A job's result: a JSON summary shown to users, and the result data fetched with <c>cluster result</c>.</summary>
/// <param name="SummaryJson">A JSON object describing the result, for example <c>{"count":50847534}</c>.</param>
/// <param name="Data">The full result (for example a PNG image); for summary-only kinds, the summary's UTF-8 bytes.</param>
/// <param name="ContentType">Media type of <paramref name="Data"/>.</param>
public sealed record JobOutput(string SummaryJson, ReadOnlyMemory<byte> Data, string ContentType)
{
    /// <summary>A result that is its JSON summary and nothing more.</summary>
    public static JobOutput FromJson(string summaryJson) =>
        new(summaryJson, Encoding.UTF8.GetBytes(summaryJson), "application/json");
}
