using System.Diagnostics;
using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.Processes;
using Cluster.TestKinds;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.BuiltInKindTests;
using static Cluster.IntegrationTests.EndToEnd.SchedulingTests;

namespace Cluster.IntegrationTests.FaultTolerance;

/// <summary>Workers crashing, freezing, draining and being restarted: each costs time, never a chunk.</summary>
[Collection(ProcessCollection.Name)]
public sealed class WorkerLossTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly string[] ShortLease = ["--Coordinator:Lease=00:00:02", "--Coordinator:HeartbeatInterval=00:00:00.500"];

    [Fact]
    public async Task SigkillOneOfThreeAtHalfway_ResultOfUndisturbedRunAndExitReported()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 3);
        var work = Directory.CreateTempSubdirectory("cluster-sigkill-");
        try
        {
            // Both runs hold their second half behind a gate until the test has done what it does at half: the kill
            // then finds the victim holding chunks however slowly the poll sees half (at load the job once ended first).
            var (undisturbed, undisturbedTime) = await TimedAsync(() => RunHeldAtHalfAsync(cluster, Path.Combine(work.FullName, "gate-1"), () => Task.CompletedTask));
            var detection = TimeSpan.Zero;
            var (disturbed, disturbedTime) = await TimedAsync(() => RunHeldAtHalfAsync(cluster, Path.Combine(work.FullName, "gate-2"), async () =>
            {
                var killedAt = Stopwatch.StartNew();
                cluster.Cluster.Workers[1].Kill();
                await TestCluster.PollAsync(() => cluster.Client.ListWorkersAsync(includeDeparted: true), ws => ws.Any(w => w.Status == "departed"), Deadline, "the departure");
                detection = killedAt.Elapsed;
            }));

            AssertSameSum(undisturbed, disturbed, 90);
            Assert.True(disturbed.LostAttempts >= 1, "the killed worker held no chunk");
            var departed = await TestCluster.PollAsync(
                () => cluster.Client.ListWorkersAsync(includeDeparted: true),
                ws => ws.Any(w => w.Status == "departed" && w.DepartureReason.Contains("signal 9", StringComparison.Ordinal)),
                Deadline,
                "the departure with its exit signal");
            output.WriteLine($"figure sigkill-1-of-3: undisturbed {undisturbedTime.TotalMilliseconds:0} ms, disturbed {disturbedTime.TotalMilliseconds:0} ms (both held at half while the test acted), detected after {detection.TotalMilliseconds:0} ms, lost {disturbed.LostAttempts}, retried {disturbed.RetriedAttempts}, stale {disturbed.StaleResults}");
            output.WriteLine(departed.First(w => w.Status == "departed").DepartureReason);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Runs 90 chaos chunks of 40 ms whose second half waits for <paramref name="gate"/>; at half, <paramref name="atHalf"/> runs, then the gate opens.</summary>
    private static async Task<JobInfo> RunHeldAtHalfAsync(TestCluster cluster, string gate, Func<Task> atHalf)
    {
        var job = await cluster.Client.SubmitAsync(Chaos(chunks: 90, ms: 40, ("gate", gate), ("gate-from", 45L)));
        await TestCluster.PollAsync(() => cluster.Client.GetJobAsync(job.JobId), j => j.ChunksDone >= 45, Deadline, "half the chunks");
        await atHalf();
        await File.WriteAllTextAsync(gate, string.Empty);
        return await cluster.Client.WaitForCompletionAsync(job.JobId).WaitAsync(Deadline);
    }

    [Fact]
    public async Task SigkillWorkersOneAfterAnother_UntilOneLeft_ResultUnchanged()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 3);
        var (_, undisturbedTime) = await TimedAsync(() => cluster.RunAsync(Chaos(chunks: 90, ms: 30)));
        var started = Stopwatch.StartNew();
        var job = await cluster.Client.SubmitAsync(Chaos(chunks: 90, ms: 30));

        await TestCluster.PollAsync(() => cluster.Client.GetJobAsync(job.JobId), j => j.ChunksDone >= 20, Deadline, "a quarter");
        cluster.Cluster.Workers[0].Kill();
        await TestCluster.PollAsync(() => cluster.Client.GetJobAsync(job.JobId), j => j.ChunksDone >= 45, Deadline, "half");
        cluster.Cluster.Workers[1].Kill();

        var done = await cluster.Client.WaitForCompletionAsync(job.JobId).WaitAsync(Deadline);
        Assert.Equal(ChaosKind.ExpectedSum(90), Json(done).GetProperty("sum").GetInt64());
        Assert.Equal(90, done.ChunksDone);
        output.WriteLine($"figure sigkill-2-of-3: undisturbed {undisturbedTime.TotalMilliseconds:0} ms, disturbed {started.Elapsed.TotalMilliseconds:0} ms, lost {done.LostAttempts}, retried {done.RetriedAttempts}, stale {done.StaleResults}");
    }

    [Fact]
    public async Task KillEveryWorker_ThenStartNewOnes_JobFinishesUnchanged()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 2);
        // Long enough (about 3 s on two workers) that the job is surely still running when the workers die a quarter
        // in, however slowly the progress poll answers; at 40 chunks it once finished first.
        var (_, undisturbedTime) = await TimedAsync(() => cluster.RunAsync(Chaos(chunks: 120, ms: 50)));
        var started = Stopwatch.StartNew();
        var job = await cluster.Client.SubmitAsync(Chaos(chunks: 120, ms: 50));
        await TestCluster.PollAsync(() => cluster.Client.GetJobAsync(job.JobId), j => j.ChunksDone >= 10, Deadline, "a quarter");

        foreach (var worker in cluster.Cluster.Workers)
        {
            worker.Kill();
        }

        await TestCluster.PollAsync(() => cluster.Client.ListWorkersAsync(), ws => ws.Count == 0, Deadline, "every worker to be gone");
        Assert.Equal(JobState.Running, (await cluster.Client.GetJobAsync(job.JobId)).State);
        await cluster.Cluster.StartWorkerAsync().WaitAsync(Deadline);
        await cluster.Cluster.StartWorkerAsync().WaitAsync(Deadline);

        var done = await cluster.Client.WaitForCompletionAsync(job.JobId).WaitAsync(Deadline);
        Assert.Equal(ChaosKind.ExpectedSum(120), Json(done).GetProperty("sum").GetInt64());
        output.WriteLine($"figure kill-all-then-new: undisturbed {undisturbedTime.TotalMilliseconds:0} ms, disturbed {started.Elapsed.TotalMilliseconds:0} ms (two worker start-ups included), lost {done.LostAttempts}, stale {done.StaleResults}");
    }

    [Fact]
    public async Task SigstopMidChunk_DetectedWithinLease_StaleResultRejectedAfterSigcont()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, coordinatorArgs: ShortLease);
        var frozen = cluster.Cluster.Workers[0];
        var job = await cluster.Client.SubmitAsync(Chaos(chunks: 3, ms: 3000));
        await TestCluster.PollAsync(() => cluster.Client.ListWorkersAsync(), ws => ws.All(w => w.InFlight > 0), Deadline, "both workers busy");
        await TestCluster.PollAsync(
            () => cluster.Client.GetJobAsync(job.JobId),
            j => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - j.StartedUnixMs >= 300,
            Deadline,
            "the first chunks to be well under way");

        var stopped = Stopwatch.StartNew();
        Assert.True(frozen.Signal(Signals.SigStop));
        try
        {
            var departed = await TestCluster.PollAsync(
                () => cluster.Client.ListWorkersAsync(includeDeparted: true),
                ws => ws.Any(w => w.Status == "departed"),
                Deadline,
                "the frozen worker to be declared gone");
            var detection = stopped.Elapsed;
            Assert.StartsWith("missed heartbeats", departed.Single(w => w.Status == "departed").DepartureReason, StringComparison.Ordinal);

            // Thawed while its chunk still has time to run: the chunk finishes after the worker has seen its session end.
            Assert.True(frozen.Signal(Signals.SigCont));
            var done = await cluster.Client.WaitForCompletionAsync(job.JobId).WaitAsync(Deadline);
            Assert.Equal(ChaosKind.ExpectedSum(3), Json(done).GetProperty("sum").GetInt64());
            var stale = await TestCluster.PollAsync(() => cluster.Client.GetJobAsync(job.JobId), j => j.StaleResults >= 1, Deadline, "the thawed worker's stale result");
            await TestCluster.PollAsync(() => cluster.Client.ListWorkersAsync(), ws => ws.Count == 2, Deadline, "the thawed worker to rejoin");
            output.WriteLine($"figure sigstop: detected after {detection.TotalMilliseconds:0} ms (lease 2000 ms), lost {done.LostAttempts}, stale rejected {stale.StaleResults}, sum unchanged");
        }
        finally
        {
            frozen.Signal(Signals.SigCont);
        }
    }

    [Fact]
    public async Task SilentNetworkPath_DetectedWithinLease()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 1, coordinatorArgs: ShortLease);
        await using var relay = new TcpRelay(cluster.Cluster.Address);
        using var cut = StartWorker(relay.Address, "behind-relay", cluster.Cluster.WorkerToken);
        await TestCluster.PollAsync(() => cluster.Client.ListWorkersAsync(), ws => ws.Count == 2, Deadline, "the relayed worker to join");
        var job = await cluster.Client.SubmitAsync(Chaos(chunks: 20, ms: 200));
        await TestCluster.PollAsync(() => cluster.Client.ListWorkersAsync(), ws => ws.Single(w => w.WorkerId == "behind-relay").InFlight > 0, Deadline, "work on the relayed worker");

        var cutAt = Stopwatch.StartNew();
        relay.Freeze();

        var departed = await TestCluster.PollAsync(
            () => cluster.Client.ListWorkersAsync(includeDeparted: true),
            ws => ws.Any(w => w.WorkerId == "behind-relay" && w.Status == "departed"),
            Deadline,
            "the cut-off worker to be declared gone");
        var detection = cutAt.Elapsed;
        Assert.StartsWith("missed heartbeats", departed.First(w => w.WorkerId == "behind-relay" && w.Status == "departed").DepartureReason, StringComparison.Ordinal);
        var done = await cluster.Client.WaitForCompletionAsync(job.JobId).WaitAsync(Deadline);
        Assert.Equal(ChaosKind.ExpectedSum(20), Json(done).GetProperty("sum").GetInt64());
        output.WriteLine($"figure partition: detected after {detection.TotalMilliseconds:0} ms (lease 2000 ms), lost {done.LostAttempts}");
    }

    [Fact]
    public async Task Sigterm_StartedChunksFinishOrHandedBack_NotFailures()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 2);
        var job = await cluster.Client.SubmitAsync(Chaos(chunks: 30, ms: 200));
        await TestCluster.PollAsync(() => cluster.Client.GetJobAsync(job.JobId), j => j.ChunksDone >= 6, Deadline, "a fifth");

        var leaving = cluster.Cluster.Workers[0];
        var termAt = Stopwatch.StartNew();
        Assert.True(leaving.Signal(Signals.SigTerm));
        await TestCluster.PollAsync(() => cluster.Client.ListWorkersAsync(includeDeparted: true), ws => ws.Any(w => w.Status == "departed"), Deadline, "the drained departure");
        var leftAfter = termAt.Elapsed;
        await leaving.WaitForExitAsync().WaitAsync(Deadline);

        var done = await cluster.Client.WaitForCompletionAsync(job.JobId).WaitAsync(Deadline);
        Assert.Equal(ChaosKind.ExpectedSum(30), Json(done).GetProperty("sum").GetInt64());
        Assert.Equal(0, done.FailedAttempts);
        Assert.Equal(0, done.LostAttempts);
        Assert.Equal(0, leaving.ExitCode);
        var workers = await cluster.Client.ListWorkersAsync(includeDeparted: true);
        Assert.StartsWith("drained", workers.Single(w => w.Status == "departed").DepartureReason, StringComparison.Ordinal);
        output.WriteLine($"figure sigterm: worker drained and left {leftAfter.TotalMilliseconds:0} ms after SIGTERM, lost {done.LostAttempts}, failed {done.FailedAttempts}, retried (handed back) {done.RetriedAttempts}, stale {done.StaleResults}");
    }

    [Fact]
    public async Task SupervisedWorkerKilled_RestartedUnderSameId()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, restartWorkers: true);
        var victim = cluster.Cluster.Workers[0];
        var before = (await cluster.Client.ListWorkersAsync()).Single(w => w.WorkerId == "local-1");

        victim.Kill();

        var after = await TestCluster.PollAsync(
            () => cluster.Client.ListWorkersAsync(),
            ws => ws.Any(w => w.WorkerId == "local-1" && w.Pid != before.Pid),
            Deadline,
            "local-1 to come back");
        Assert.Equal(2, after.Count);
        var job = await cluster.RunAsync(Chaos(chunks: 10, ms: 0));
        Assert.Equal(ChaosKind.ExpectedSum(10), Json(job).GetProperty("sum").GetInt64());
    }

    internal static void AssertSameSum(JobInfo undisturbed, JobInfo disturbed, long chunks)
    {
        Assert.Equal(Json(undisturbed).GetProperty("sum").GetInt64(), Json(disturbed).GetProperty("sum").GetInt64());
        Assert.Equal(ChaosKind.ExpectedSum(chunks), Json(disturbed).GetProperty("sum").GetInt64());
        Assert.Equal(chunks, disturbed.ChunksDone);
    }

    internal static async Task<(T Value, TimeSpan Elapsed)> TimedAsync<T>(Func<Task<T>> run)
    {
        var watch = Stopwatch.StartNew();
        var value = await run();
        return (value, watch.Elapsed);
    }

    private static StandaloneWorker StartWorker(Uri coordinator, string id, string? token) => new(coordinator, id, token);

    /// <summary>A worker outside the LocalCluster, dialing an address of the test's choosing; killed on dispose.</summary>
    private sealed class StandaloneWorker : IDisposable
    {
        private readonly Process _process;

        public StandaloneWorker(Uri coordinator, string id, string? token)
        {
            var command = Executables.Worker;
            var start = new ProcessStartInfo(command.FileName) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in command.LeadingArgs.Concat(["--coordinator", coordinator.ToString().TrimEnd('/'), "--id", id, "--threads", "1", "--jobs", Executables.TestKinds, ProcessFlags.ExitWithParent]))
            {
                start.ArgumentList.Add(arg);
            }

            if (token is not null)
            {
                start.Environment[BearerToken.EnvironmentVariable] = token;
            }

            _process = Process.Start(start)!;
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public void Dispose()
        {
            _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }
    }
}
