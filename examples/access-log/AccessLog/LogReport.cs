using System.Globalization;

namespace Cluster.Examples.AccessLog;

/// <summary>The job's result: the merged <see cref="LogStats"/>, shown as one row per (hour, status) with its percentile.</summary>
/// <param name="percentile">The latency percentile reported per group.</param>
public sealed class LogReport(int percentile)
{
    private readonly LogStats _stats = new();

    /// <summary>Lines read, malformed ones included.</summary>
    public long Lines => _stats.Lines;

    /// <summary>Lines not in the expected format.</summary>
    public long Malformed => _stats.Malformed;

    /// <summary>The latency percentile given as <c>latencyMs</c> of each group.</summary>
    public int Percentile => percentile;

    /// <summary>One row per UTC hour and status code, by hour, then status.</summary>
    public IEnumerable<GroupReport> Groups => _stats.Groups.OrderBy(g => g.Key).Select(g => new GroupReport(
        new DateTime(g.Key / 1000 * TimeSpan.TicksPerHour, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH':00:00Z'", CultureInfo.InvariantCulture),
        (int)(g.Key % 1000),
        g.Value.Requests,
        g.Value.Bytes,
        g.Value.Percentile(percentile)));

    /// <summary>Merges one chunk's counts; returns this.</summary>
    public LogReport Add(LogStats chunk)
    {
        _stats.Add(chunk);
        return this;
    }
}

/// <summary>One row of the report.</summary>
/// <param name="Hour">The hour, UTC, as <c>2026-11-27T13:00:00Z</c>.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Requests">Requests in that hour with that status.</param>
/// <param name="Bytes">Response bytes they sent.</param>
/// <param name="LatencyMs">Their latency percentile (<see cref="LogReport.Percentile"/>), in milliseconds.</param>
public sealed record GroupReport(string Hour, int Status, long Requests, long Bytes, int LatencyMs);
