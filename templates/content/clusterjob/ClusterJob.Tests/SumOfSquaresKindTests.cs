using System.Text.Json;
using Cluster.Jobs.InProcess;

namespace ClusterJob.Tests;

public sealed class SumOfSquaresKindTests
{
    [Fact]
    public void Run_RangeInSevenChunks_MatchesClosedForm()
    {
        const long n = 100_000;

        // Every chunk is planned, executed and merged as on a cluster, here on this process's threads.
        var output = InProcessJobRunner.Run(new SumOfSquaresKind(), new Dictionary<string, object> { ["from"] = 0L, ["to"] = n }, options: new InProcessRunOptions { Chunks = 7 });

        using var result = JsonDocument.Parse(output.SummaryJson);
        Assert.Equal((n - 1) * n * (2 * n - 1) / 6, result.RootElement.GetProperty("sum").GetInt64());
        Assert.Equal(n, result.RootElement.GetProperty("numbers").GetInt64());
    }
}
