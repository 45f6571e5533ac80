using System.Text.Json.Nodes;
using Cluster.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.SchedulingTests;

namespace Cluster.IntegrationTests.Diagnostics;

/// <summary>
/// <c>cluster stack</c> against real processes: a chunk that deadlocks on purpose (the test kind takes two locks in
/// opposite orders on two threads) is found, by its worker, waiting in the method that deadlocked.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class StackTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("cluster-stack-");

    [Fact]
    public async Task Stack_ChunkDeadlockedOnPurpose_ShowsItsThreadWaitingInTheDeadlockingMethod()
    {
        // No backup attempts: the deadlocked chunk stays on the one worker it was sent to.
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, coordinatorArgs: ["--Coordinator:BackupAttempts=false"]);
        var job = await cluster.Client.SubmitAsync(Chaos(chunks: 4, ms: 0, ("fail-chunk", 2L), ("mode", "deadlock")));
        // Chunk 2 deadlocks on one worker; chunk 3 waits behind it on that worker's only thread.
        await TestCluster.PollAsync(
            () => cluster.Client.GetStacksAsync(job.JobId, 2),
            s => s.Any(a => a.State == "running" && a.Frames.Any(f => f.Contains("DeadlockOnPurpose", StringComparison.Ordinal))),
            Bound,
            "chunk 2 deadlocked on its thread");
        var tokenFile = Path.Combine(_work.FullName, "client.token");
        await File.WriteAllTextAsync(tokenFile, cluster.Cluster.ClientToken);
        string[] connection = ["--coordinator", cluster.Cluster.Address.ToString().TrimEnd('/'), "--token-file", tokenFile];

        var (code, text, errors) = await CliProcess.RunAsync(Bound, ["stack", job.JobId, "--chunk", "2", .. connection]);
        var (jsonCode, json, _) = await CliProcess.RunAsync(Bound, ["stack", job.JobId, "--json", .. connection]);

        Assert.True(code == 0, $"cluster stack exited with {code}: {errors}");
        output.WriteLine(text);
        Assert.Contains("chunk 2 attempt 1 on worker local-", text, StringComparison.Ordinal);
        Assert.Contains("thread compute-0, running for ", text, StringComparison.Ordinal);
        Assert.Matches(@"    at Cluster\.TestKinds\.ChaosKind\+ChaosExecutor\.DeadlockOnPurpose\(\)", text);
        Assert.Contains("System.Threading.Monitor", text, StringComparison.Ordinal);
        Assert.Equal(0, jsonCode);
        var attempts = JsonNode.Parse(json)!.AsArray().Select(a => (a!["chunk"]!.GetValue<long>(), a["state"]!.GetValue<string>())).ToList();
        Assert.Contains((2L, "running"), attempts);
        Assert.All(attempts.Where(a => a.Item1 != 2), a => Assert.Equal("queued", a.Item2));
        await cluster.Client.CancelAsync(job.JobId);
    }

    public void Dispose() => _work.Delete(recursive: true);
}
