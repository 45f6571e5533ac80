using System.ComponentModel;
using Cluster.Jobs;
using Cluster.Jobs.Splitting;
using Cluster.Jobs.Typed;

namespace Cluster.Examples.AccessLog;

/// <summary>The parameters of <see cref="AccessLogKind"/>.</summary>
/// <param name="Percentile">The latency percentile reported per group (nearest rank).</param>
public sealed record AccessLogParameters(
    [Description("Latency percentile to report per status and hour (nearest rank)")][Range(1, 100)] int Percentile = 95);

/// <summary>
/// Statistics of a web-server access log (nginx's <c>combined</c> format with <c>$request_time</c> appended): requests,
/// bytes sent and a latency percentile per status code per UTC hour. Chunks are runs of whole lines; each returns exact
/// per-millisecond latency counts, so the merged percentile is exact whatever the split.
/// </summary>
public sealed class AccessLogKind : InputJobKind<AccessLogParameters, LogStats, LogReport>
{
    /// <inheritdoc />
    public override string Name => "access-log";

    /// <inheritdoc />
    public override string Description => "Requests, bytes and a latency percentile per status code per hour of an access log.";

    /// <inheritdoc />
    protected override Splitter<LongRange> Split(AccessLogParameters parameters, JobPlanContext context) => Splitters.Lines(context);

    /// <inheritdoc />
    protected override LogStats Execute(AccessLogParameters parameters, InputChunk chunk, CancellationToken cancellationToken)
    {
        var stats = new LogStats();
        var hours = new HourParser();
        foreach (var line in chunk.Lines)
        {
            stats.Add(line, hours);
        }

        return stats;
    }

    /// <inheritdoc />
    protected override LogReport Empty(AccessLogParameters parameters, PlanShape shape) => new(parameters.Percentile);

    /// <inheritdoc />
    protected override LogReport Merge(LogReport total, long chunkIndex, LogStats chunkResult) => total.Add(chunkResult);
}
