using Cluster.Client;
using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.TestKinds;
using Grpc.Core;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.BuiltInKindTests;
using static Cluster.IntegrationTests.EndToEnd.SchedulingTests;

namespace Cluster.IntegrationTests.FaultTolerance;

/// <summary>Chunks that always fail, chunks that kill their worker, slow workers, and a coordinator that dies.</summary>
[Collection(ProcessCollection.Name)]
public sealed class PoisonAndStragglerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task ChunkThatAlwaysThrows_FailsAfterExactlyThreeAttempts_OtherJobUntouched()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 2);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var poison = await cluster.Client.SubmitAsync(Chaos(chunks: 10, ms: 20, ("fail-chunk", 3L), ("mode", "throw")));
        var healthy = await cluster.Client.SubmitAsync(Chaos(chunks: 30, ms: 20));

        var failed = await cluster.Client.WaitForCompletionAsync(poison.JobId).WaitAsync(Deadline);
        var fine = await cluster.Client.WaitForCompletionAsync(healthy.JobId).WaitAsync(Deadline);

        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal(3, failed.FailedAttempts);
        Assert.Contains("Chunk 3 failed 3 attempts", failed.Error, StringComparison.Ordinal);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.Contains($"attempt {attempt} on worker", failed.Error, StringComparison.Ordinal);
        }

        Assert.Contains("System.InvalidOperationException: chaos: chunk 3 always throws", failed.Error, StringComparison.Ordinal);
        Assert.Contains("at Cluster.TestKinds.ChaosKind", failed.Error, StringComparison.Ordinal);
        Assert.Equal(ChaosKind.ExpectedSum(30), Json(fine).GetProperty("sum").GetInt64());
        output.WriteLine($"figure poison-throw: job failed after {failed.FinishedUnixMs - failed.SubmittedUnixMs} ms with {failed.FailedAttempts} failed attempts; the other job succeeded (lost {fine.LostAttempts}, stale {fine.StaleResults})");
    }

    [Fact]
    public async Task ChunkThatCrashesItsWorker_FailsAfterExactlyThreeLosses_OtherJobUntouched()
    {
        // One chunk in flight per worker, so only the poison chunk is ever lost with a worker it crashes.
        await using var cluster = await TestCluster.StartAsync(output, workers: 4, coordinatorArgs: ["--Coordinator:InFlightPerThread=1"]);
        var poison = await cluster.Client.SubmitAsync(Chaos(chunks: 6, ms: 50, ("fail-chunk", 0L), ("mode", "crash")));
        var healthy = await cluster.Client.SubmitAsync(Chaos(chunks: 20, ms: 20));

        var failed = await cluster.Client.WaitForCompletionAsync(poison.JobId).WaitAsync(Deadline);
        var fine = await cluster.Client.WaitForCompletionAsync(healthy.JobId).WaitAsync(Deadline);

        Assert.Equal(JobState.Failed, failed.State);
        Assert.Contains("Chunk 0 was lost 3 times with the worker running it", failed.Error, StringComparison.Ordinal);
        Assert.Equal(0, failed.FailedAttempts);
        Assert.Equal(ChaosKind.ExpectedSum(20), Json(fine).GetProperty("sum").GetInt64());
        var departed = await TestCluster.PollAsync(
            () => cluster.Client.ListWorkersAsync(includeDeparted: true),
            ws => ws.Count(w => w.DepartureReason.Contains("SIGABRT", StringComparison.Ordinal)) == 3,
            Deadline,
            "three crashed workers with their exit signal");
        output.WriteLine(string.Join("\n", departed.Where(w => w.Status == "departed").Select(w => $"{w.WorkerId}: {w.DepartureReason}")));
        output.WriteLine(failed.Error);
        output.WriteLine($"figure poison-crash: job failed after {failed.FinishedUnixMs - failed.SubmittedUnixMs} ms, {failed.LostAttempts} attempts lost with 3 crashed workers; the other job succeeded (lost {fine.LostAttempts}, stale {fine.StaleResults})");
    }

    [Fact]
    public async Task SlowWorker_BackupAttemptWins_ResultUnchanged()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 1);
        var (undisturbed, aloneTime) = await WorkerLossTests.TimedAsync(() => cluster.RunAsync(Chaos(chunks: 24, ms: 100)));
        await cluster.Cluster.StartWorkerAsync(new Dictionary<string, string> { ["CLUSTER_TEST_EXTRA_MS"] = "4000" }).WaitAsync(Deadline);

        var (job, elapsed) = await WorkerLossTests.TimedAsync(() => cluster.RunAsync(Chaos(chunks: 24, ms: 100)));

        Assert.Equal(ChaosKind.ExpectedSum(24), Json(job).GetProperty("sum").GetInt64());
        Assert.True(job.BackupAttempts >= 1, "no backup attempt was launched");
        Assert.Contains(job.Events, e => e.Contains("backup attempt", StringComparison.Ordinal) && e.EndsWith("won", StringComparison.Ordinal));
        output.WriteLine($"figure straggler: 24 chunks of 100 ms: fast worker alone {aloneTime.TotalMilliseconds:0} ms; with a second worker 4 s slower per chunk {elapsed.TotalMilliseconds:0} ms (without backups at least 4100 ms), backups {job.BackupAttempts}, stale {job.StaleResults}");
        Assert.Equal(JobState.Succeeded, undisturbed.State);
    }

    [Fact]
    public async Task CoordinatorKilledAndRestarted_WorkersRejoin_RunningJobFailsClearly_NewJobRuns()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 2);
        var doomed = await cluster.Client.SubmitAsync(Chaos(chunks: 100, ms: 100));
        await using var following = cluster.Client.FollowAsync(doomed.JobId).GetAsyncEnumerator();
        await TestCluster.PollAsync(() => cluster.Client.GetJobAsync(doomed.JobId), j => j.ChunksDone > 0, Deadline, "the job to start");

        // The follower has seen the job before the kill (else an unknown id is just unknown, not lost).
        Assert.True(await following.MoveNextAsync().AsTask().WaitAsync(Deadline));
        var restartAt = System.Diagnostics.Stopwatch.StartNew();
        await cluster.RestartCoordinatorAsync().WaitAsync(Deadline);

        var lost = await Assert.ThrowsAsync<ClusterException>(async () =>
        {
            while (await following.MoveNextAsync().AsTask().WaitAsync(Deadline))
            {
            }
        });
        Assert.Contains("was lost", lost.Message, StringComparison.Ordinal);
        await TestCluster.PollAsync(() => cluster.Client.ListWorkersAsync(), ws => ws.Count == 2, Deadline, "both workers to rejoin");
        var rejoined = restartAt.Elapsed;
        var fresh = await cluster.RunAsync(Chaos(chunks: 10, ms: 10));
        Assert.Equal(ChaosKind.ExpectedSum(10), Json(fresh).GetProperty("sum").GetInt64());

        // The replacement has the cluster's tokens: its client is still itself, and a client without a token is refused.
        Assert.Equal("local-client", fresh.Owner);
        using var anonymous = new ClusterClient(cluster.Cluster.Address);
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<ClusterException>(() => anonymous.ListJobsAsync())).StatusCode);
        output.WriteLine($"figure coordinator-restart: both workers rejoined {rejoined.TotalMilliseconds:0} ms after the kill; the running job's waiter was told: {lost.Message}");
    }
}
