namespace Cluster.Examples.AccessLog;

/// <summary>
/// What one chunk of the log adds up to, and what chunks merge into: per (UTC hour, status) group the requests, the
/// bytes sent and how many requests took each whole number of milliseconds.
/// </summary>
public sealed class LogStats
{
    /// <summary>Lines read, malformed ones included.</summary>
    public long Lines { get; set; }

    /// <summary>Lines that are not in the expected format (counted, otherwise ignored).</summary>
    public long Malformed { get; set; }

    /// <summary>The groups by <see cref="Key"/>: the hour (UTC, in hours since 0001-01-01) times 1000, plus the status.</summary>
    public Dictionary<long, GroupStats> Groups { get; init; } = [];

    /// <summary>The key of a group: sorts by hour, then by status.</summary>
    public static long Key(long hour, int status) => (hour * 1000) + status;

    /// <summary>Counts one line.</summary>
    public void Add(ReadOnlySpan<byte> line, HourParser hours)
    {
        ArgumentNullException.ThrowIfNull(hours);
        Lines++;
        if (!LogLine.TryParse(line, hours, out var entry))
        {
            Malformed++;
            return;
        }

        var key = Key(entry.Hour, entry.Status);
        if (!Groups.TryGetValue(key, out var group))
        {
            Groups[key] = group = new GroupStats();
        }

        group.Add(entry.Bytes, entry.LatencyMs);
    }

    /// <summary>Adds another chunk's counts to these; returns this.</summary>
    public LogStats Add(LogStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Lines += other.Lines;
        Malformed += other.Malformed;
        foreach (var (key, theirs) in other.Groups)
        {
            if (Groups.TryGetValue(key, out var ours))
            {
                ours.Add(theirs);
            }
            else
            {
                Groups[key] = theirs;
            }
        }

        return this;
    }
}

/// <summary>One (hour, status) group: requests, bytes, and the exact latency histogram (milliseconds → requests).</summary>
public sealed class GroupStats
{
    /// <summary>Requests in the group.</summary>
    public long Requests { get; set; }

    /// <summary>Response bytes sent (a <c>-</c> counts as 0).</summary>
    public long Bytes { get; set; }

    /// <summary>How many requests took each whole number of milliseconds.</summary>
    public Dictionary<int, long> LatencyCounts { get; init; } = [];

    /// <summary>Counts one request.</summary>
    public void Add(long bytes, int latencyMs)
    {
        Requests++;
        Bytes += bytes;
        LatencyCounts[latencyMs] = LatencyCounts.GetValueOrDefault(latencyMs) + 1;
    }

    /// <summary>Adds another group's counts to these.</summary>
    public void Add(GroupStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Requests += other.Requests;
        Bytes += other.Bytes;
        foreach (var (latency, count) in other.LatencyCounts)
        {
            LatencyCounts[latency] = LatencyCounts.GetValueOrDefault(latency) + count;
        }
    }

    /// <summary>
    /// The <paramref name="percentile"/>-th percentile of latency by the nearest-rank definition: the smallest latency
    /// that at least <paramref name="percentile"/>% of the group's requests do not exceed, i.e. the value of rank
    /// ⌈percentile × requests / 100⌉ in ascending order. Exact: the histogram holds every latency as logged.
    /// </summary>
    public int Percentile(int percentile)
    {
        var rank = ((Requests * percentile) + 99) / 100;
        var seen = 0L;
        foreach (var (latency, count) in LatencyCounts.OrderBy(p => p.Key))
        {
            seen += count;
            if (seen >= rank)
            {
                return latency;
            }
        }

        throw new InvalidOperationException("A group without requests has no percentile.");
    }
}
