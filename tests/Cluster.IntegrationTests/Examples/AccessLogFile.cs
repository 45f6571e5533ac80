using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Cluster.IntegrationTests.Examples;

/// <summary>
/// A deterministic nginx access log (<c>combined</c> with <c>$request_time</c>, time zone +0530) of about the size asked,
/// and the statistics examples/access-log must give for it, computed from the values drawn as the lines are written
/// (never by parsing the text), with each group's percentile taken from its sorted latencies.
/// </summary>
internal sealed class AccessLogFile
{
    private const int MalformedEvery = 100_003;
    private static readonly DateTime Start = new(2026, 11, 26, 21, 17, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Offset = new(5, 30, 0);
    private static readonly (int Status, int Weight, double MedianMs)[] Statuses =
        [(200, 700, 40), (201, 30, 90), (204, 20, 15), (301, 20, 5), (304, 80, 3), (400, 20, 8), (401, 15, 4), (403, 5, 4), (404, 60, 6), (500, 6, 300), (502, 3, 2000), (503, 4, 30)];

    private static readonly string[] Agents =
        ["Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "curl/8.11.1", "Go-http-client/1.1", "-",
         "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"];

    private static readonly string[] Malformed =
        ["", "not a log line at all", "10.0.0.1 - - [27/Nov/2026:10:00:00 +0530] \"GET / HTTP/1.1\" 200 512 \"-\" \"curl/8.11.1\"",
         "10.0.0.1 - - [27/Nov/2026:10:00:00 +0530] \"GET / HTTP/1.1\" 2OO 512 \"-\" \"curl/8.11.1\" 0.010",
         "10.0.0.1 - - [31/Nov/2026:10:00:00 +0530] \"GET / HTTP/1.1\" 200 512 \"-\" \"curl/8.11.1\" 0.010"];

    private readonly Dictionary<(DateTime Hour, int Status), Group> _groups = [];

    public long Lines { get; private set; }

    public long MalformedLines { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Writes a log of at least <paramref name="targetBytes"/> bytes to <paramref name="path"/> and returns its expected statistics.</summary>
    public static AccessLogFile Write(string path, long targetBytes, int seed)
    {
        var log = new AccessLogFile();
        var random = new Random(seed);
        var totalWeight = Statuses.Sum(s => s.Weight);
        var utc = Start;
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 20) { NewLine = "\n" };
        var line = new StringBuilder(300);
        while (log.Bytes < targetBytes)
        {
            line.Clear();
            if (++log.Lines % MalformedEvery == 0)
            {
                log.MalformedLines++;
                line.Append(Malformed[random.Next(Malformed.Length)]);
            }
            else
            {
                utc = utc.AddMilliseconds(random.Next(100));
                var pick = random.Next(totalWeight);
                var (status, _, median) = Statuses.First(s => (pick -= s.Weight) < 0);
                var latency = (int)Math.Min(120_000, median * Math.Exp(0.8 * Normal(random)));
                var bytes = status is 204 or 304 ? 0 : random.Next(200_000);
                var second = new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
                log.Add(new DateTime(second.Ticks - (second.Ticks % TimeSpan.TicksPerHour), DateTimeKind.Utc), status, bytes, latency);
                line.Append(CultureInfo.InvariantCulture, $"{10 + random.Next(200)}.{random.Next(256)}.{random.Next(256)}.{random.Next(256)} - ")
                    .Append(random.Next(10) == 0 ? "alice" : "-")
                    .Append(CultureInfo.InvariantCulture, $" [{second + Offset:dd/MMM/yyyy:HH:mm:ss} +0530] \"")
                    .Append(random.Next(4) == 0 ? "POST" : "GET")
                    .Append(random.Next(50) == 0 ? " /search?q=\\x22cluster\\x22" : " /api/items/" + random.Next(100_000).ToString(CultureInfo.InvariantCulture))
                    .Append(CultureInfo.InvariantCulture, $" HTTP/1.1\" {status} ")
                    .Append(bytes == 0 && random.Next(2) == 0 ? "-" : bytes.ToString(CultureInfo.InvariantCulture))
                    .Append(random.Next(3) == 0 ? " \"-\" \"" : " \"https://example.com/page/" + random.Next(1000).ToString(CultureInfo.InvariantCulture) + "\" \"")
                    .Append(Agents[random.Next(Agents.Length)])
                    .Append(CultureInfo.InvariantCulture, $"\" {latency / 1000}.{latency % 1000:D3}");
            }

            line.Append('\n');
            log.Bytes += line.Length;
            writer.Write(line);
        }

        return log;
    }

    /// <summary>Checks a job's result (the <c>result</c> object) against these statistics, every group exactly.</summary>
    public void AssertMatches(JsonNode result, int percentile)
    {
        Assert.Equal(Lines, result["lines"]!.GetValue<long>());
        Assert.Equal(MalformedLines, result["malformed"]!.GetValue<long>());
        Assert.Equal(percentile, result["percentile"]!.GetValue<int>());
        var expected = _groups.OrderBy(g => g.Key).Select(g => (
            g.Key.Hour.ToString("yyyy-MM-dd'T'HH':00:00Z'", CultureInfo.InvariantCulture), g.Key.Status, g.Value.Requests, g.Value.Bytes, g.Value.Percentile(percentile))).ToList();
        var actual = result["groups"]!.AsArray().Select(g => (
            g!["hour"]!.GetValue<string>(), g["status"]!.GetValue<int>(), g["requests"]!.GetValue<long>(), g["bytes"]!.GetValue<long>(), g["latencyMs"]!.GetValue<int>())).ToList();
        Assert.Equal(expected, actual);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private void Add(DateTime hour, int status, long bytes, int latency)
    {
        if (!_groups.TryGetValue((hour, status), out var group))
        {
            _groups[(hour, status)] = group = new Group();
        }

        group.Requests++;
        group.Bytes += bytes;
        group.Latencies.Add(latency);
    }

    private sealed class Group
    {
        public long Requests { get; set; }

        public long Bytes { get; set; }

        public List<int> Latencies { get; } = [];

        /// <summary>Nearest rank: the value at rank ⌈p·n/100⌉ of the sorted latencies.</summary>
        public int Percentile(int percentile)
        {
            var sorted = Latencies.Order().ToArray();
            var rank = (int)Math.Ceiling(percentile * (double)sorted.Length / 100);
            return sorted[rank - 1];
        }
    }
}
