using System.Text.Json.Nodes;
using Cluster.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Cluster.IntegrationTests.Examples;

/// <summary>
/// Each example run as its README says against a running cluster: a <c>cluster coordinator</c> and two
/// <c>cluster worker</c> processes started without the example, then <c>cluster submit KIND --jobs PATH --coordinator
/// ADDR</c>, which ships the example's build output as a bundle.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class RunningClusterTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("cluster-examples-");

    [Fact]
    public async Task OptionPricing_SubmittedWithJobsToARunningCluster_WithinFourStandardErrorsOfBlackScholes()
    {
        await using var cluster = await TestCluster.StartAsync(output, viaCli: true);

        var (code, stdout, stderr) = await CliProcess.RunAsync(
            RunTimeout, ["submit", "basket-pricing", "--jobs", Executables.OptionPricing, .. await ConnectionAsync(cluster), "--json", .. OptionPricingTests.Arguments]);

        Assert.True(code == 0, $"cluster submit exited with {code}: {stderr}");
        OptionPricingTests.AssertMatchesBlackScholes(JsonNode.Parse(stdout)!["result"]!);
    }

    [Fact]
    public async Task AccessLog_SubmittedWithJobsToARunningCluster_EveryGroupMatchesTheSequentialStatistics()
    {
        await using var cluster = await TestCluster.StartAsync(output, viaCli: true);
        var path = Path.Combine(_work.FullName, "access.log");
        var log = AccessLogFile.Write(path, 24L << 20, seed: 10);

        var (code, stdout, stderr) = await CliProcess.RunAsync(
            RunTimeout, ["submit", "access-log", "--jobs", Executables.AccessLog, .. await ConnectionAsync(cluster), "--input", path, "--percentile", "99", "--chunks", "7", "--json"]);

        Assert.True(code == 0, $"cluster submit exited with {code}: {stderr}");
        var job = JsonNode.Parse(stdout)!;
        Assert.Equal(7, job["chunks"]!.GetValue<long>());
        log.AssertMatches(job["result"]!, percentile: 99);
    }

    public void Dispose() => _work.Delete(recursive: true);

    /// <summary>The options that point the CLI at the cluster: its address and a file holding the client token.</summary>
    private async Task<string[]> ConnectionAsync(TestCluster cluster)
    {
        var tokenFile = Path.Combine(_work.FullName, "client.token");
        await File.WriteAllTextAsync(tokenFile, cluster.Cluster.ClientToken);
        return ["--coordinator", cluster.Cluster.Address.ToString().TrimEnd('/'), "--token-file", tokenFile];
    }
}
