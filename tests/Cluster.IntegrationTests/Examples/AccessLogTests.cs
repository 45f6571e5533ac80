using System.Text.Json.Nodes;
using Cluster.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Cluster.IntegrationTests.Examples;

/// <summary>
/// examples/access-log run as its README says, with one command on an embedded cluster, over a generated log of
/// 300 MiB; every (hour, status) group must match the statistics computed while the log was written.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class AccessLogTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("cluster-access-log-");

    [Fact]
    public async Task AccessLog_300MiBLogOnEmbeddedCluster_EveryGroupMatchesTheSequentialStatistics()
    {
        var path = Path.Combine(_work.FullName, "access.log");
        var log = AccessLogFile.Write(path, 300L << 20, seed: 9);
        output.WriteLine($"{log.Lines} lines, {log.Bytes} bytes, {log.MalformedLines} malformed");

        var (code, stdout, stderr) = await CliProcess.RunAsync(RunTimeout, "submit", "access-log", "--jobs", Executables.AccessLog, "--input", path, "--json");

        Assert.True(code == 0, $"cluster submit exited with {code}: {stderr}");
        var job = JsonNode.Parse(stdout)!;
        output.WriteLine($"{job["chunks"]} chunks in {job["elapsedMs"]} ms");
        log.AssertMatches(job["result"]!, percentile: 95);
    }

    public void Dispose() => _work.Delete(recursive: true);
}
