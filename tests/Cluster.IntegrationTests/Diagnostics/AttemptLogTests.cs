using System.Text.Json.Nodes;
using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.TestKinds;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.BuiltInKindTests;
using static Cluster.IntegrationTests.EndToEnd.SchedulingTests;

namespace Cluster.IntegrationTests.Diagnostics;

/// <summary>
/// <c>cluster status JOB --attempts</c> against real processes: a chunk that throws once and a worker SIGKILLed while it
/// runs a chunk show as failed and lost attempts with their worker and error, and a coordinator SIGKILLed and started
/// again on its data directory still lists them.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class AttemptLogTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("cluster-attempts-");

    [Fact]
    public async Task StatusAttempts_FailedChunkAndSigkilledWorker_ListedWithWorkerAndError_AlsoAfterCoordinatorRestart()
    {
        // One chunk in flight per thread. A long lease: only the SIGKILL (its broken stream) loses attempts, not
        // heartbeats late on a loaded machine. Chunks from index 2 on wait for a gate file, so once chunks 0 and 1 are
        // done each worker holds one waiting attempt: the victim is killed while it certainly holds one.
        var gate = Path.Combine(_work.FullName, "gate");
        await using var cluster = await TestCluster.StartAsync(
            output,
            workers: 2,
            coordinatorArgs: ["--data-dir", Path.Combine(_work.FullName, "data"), "--Coordinator:BackupAttempts=false", "--Coordinator:InFlightPerThread=1", "--Coordinator:Lease=00:00:30"]);
        var job = await cluster.Client.SubmitAsync(Chaos(
            chunks: 16,
            ms: 100,
            ("fail-chunk", 1L),
            ("mode", "throw"),
            ("fail-attempts", 1L),
            ("state-dir", Path.Combine(_work.FullName, "fail-state")),
            ("gate", gate),
            ("gate-from", 2L)));
        await TestCluster.PollAsync(() => cluster.Client.GetJobAsync(job.JobId), j => j.FailedAttempts >= 1 && j.ChunksDone == 2 && j.ChunksRunning == 2, Bound, "chunk 1's failure, chunks 0 and 1 done, both workers holding a waiting chunk");
        var victim = cluster.Cluster.Workers[0];
        var victimId = (await cluster.Client.ListWorkersAsync()).Single(w => w.Pid == victim.Pid).WorkerId;
        victim.Kill();
        await victim.WaitForExitAsync().WaitAsync(Bound);
        await File.WriteAllTextAsync(gate, string.Empty);

        var done = await cluster.Client.WaitForCompletionAsync(job.JobId).WaitAsync(Bound);
        Assert.Equal(JobState.Succeeded, done.State);
        Assert.Equal(ChaosKind.ExpectedSum(16), Json(done).GetProperty("sum").GetInt64());
        Assert.True(done.LostAttempts >= 1, "the killed worker held no attempt");
        var tokenFile = Path.Combine(_work.FullName, "client.token");
        await File.WriteAllTextAsync(tokenFile, cluster.Cluster.ClientToken);
        string[] connection = ["--coordinator", cluster.Cluster.Address.ToString().TrimEnd('/'), "--token-file", tokenFile];

        var (code, table, errors) = await CliProcess.RunAsync(Bound, ["status", job.JobId, "--attempts", .. connection]);
        var before = await AttemptsAsync(job.JobId, connection);

        Assert.True(code == 0, $"cluster status --attempts exited with {code}: {errors}");
        output.WriteLine(table);
        Assert.Contains("OUTCOME", table, StringComparison.Ordinal);
        Assert.Contains(" failed ", table, StringComparison.Ordinal);
        Assert.Contains(" lost ", table, StringComparison.Ordinal);
        Assert.Contains(victimId, table, StringComparison.Ordinal);
        var failed = Assert.Single(before, a => a.Outcome == "failed");
        Assert.Equal((1L, 1), (failed.Chunk, failed.Attempt));
        Assert.Equal("System.InvalidOperationException: chaos: chunk 1 always throws", failed.Error);
        Assert.True(failed.StartedUnixMs > 0 && failed.EndedUnixMs >= failed.StartedUnixMs, $"failed attempt from {failed.StartedUnixMs} to {failed.EndedUnixMs}");
        // Its retry succeeded (attempt 2, or a later one if the killed worker was running attempt 2).
        Assert.Contains(before, a => a.Outcome == "succeeded" && a.Chunk == 1 && a.Attempt >= 2);
        var lost = before.Where(a => a.Outcome == "lost").ToList();
        Assert.Equal(done.LostAttempts, lost.Count);
        Assert.All(lost, a => Assert.Equal(victimId, a.Worker));
        Assert.All(lost, a => Assert.False(string.IsNullOrWhiteSpace(a.Error), "a lost attempt without the reason its worker left"));
        Assert.All(lost, a => Assert.Contains(before, r => r.Outcome == "succeeded" && r.Chunk == a.Chunk && r.Attempt > a.Attempt));

        await cluster.RestartCoordinatorAsync().WaitAsync(Bound);
        var after = await AttemptsAsync(job.JobId, connection);

        Assert.Equal(before, after);
        output.WriteLine($"figure attempt-log: {before.Count} attempts listed ({lost.Count} lost with worker {victimId}, 1 failed), the same {after.Count} after the coordinator restarted");
    }

    private static async Task<List<LoggedAttempt>> AttemptsAsync(string jobId, string[] connection)
    {
        var (code, json, errors) = await CliProcess.RunAsync(Bound, ["status", jobId, "--attempts", "--json", .. connection]);
        Assert.True(code == 0, $"cluster status --attempts --json exited with {code}: {errors}");
        var shown = JsonNode.Parse(json)!;
        Assert.Equal(0, shown["attemptsOmitted"]!.GetValue<long>());
        return [.. shown["attempts"]!.AsArray().Select(a => new LoggedAttempt(
            a!["chunk"]!.GetValue<long>(),
            a["attempt"]!.GetValue<int>(),
            a["worker"]!.GetValue<string>(),
            a["startedUnixMs"]!.GetValue<long>(),
            a["endedUnixMs"]!.GetValue<long>(),
            a["outcome"]!.GetValue<string>(),
            a["error"]!.GetValue<string>()))];
    }

    public void Dispose() => _work.Delete(recursive: true);

    private sealed record LoggedAttempt(long Chunk, int Attempt, string Worker, long StartedUnixMs, long EndedUnixMs, string Outcome, string Error);
}
