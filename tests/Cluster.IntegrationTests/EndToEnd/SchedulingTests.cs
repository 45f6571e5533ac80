using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.TestKinds;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.BuiltInKindTests;

namespace Cluster.IntegrationTests.EndToEnd;

/// <summary>Sharing, cancelling, losing and gaining workers, with real processes.</summary>
[Collection(ProcessCollection.Name)]
public sealed class SchedulingTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TwoJobs_SubmittedTogether_BothProgressBeforeEitherFinishes()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, threads: 1);
        var first = await cluster.Client.SubmitAsync(Chaos(chunks: 40, ms: 50));
        var second = await cluster.Client.SubmitAsync(Chaos(chunks: 40, ms: 50));

        var sawBothRunning = false;
        var deadline = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < deadline)
        {
            var a = await cluster.Client.GetJobAsync(first.JobId);
            var b = await cluster.Client.GetJobAsync(second.JobId);
            sawBothRunning |= a is { ChunksDone: > 0, State: JobState.Running } && b is { ChunksDone: > 0, State: JobState.Running };
            if (a.State == JobState.Succeeded && b.State == JobState.Succeeded)
            {
                break;
            }

            await Task.Delay(20);
        }

        Assert.True(sawBothRunning, "the two jobs never both made progress while running");
        Assert.Equal(ChaosKind.ExpectedSum(40), Json(await cluster.Client.GetJobAsync(first.JobId)).GetProperty("sum").GetInt64());
        Assert.Equal(ChaosKind.ExpectedSum(40), Json(await cluster.Client.GetJobAsync(second.JobId)).GetProperty("sum").GetInt64());
    }

    [Fact]
    public async Task Cancel_RunningJob_CancelledAndWorkersFreeForTheNext()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, threads: 1);
        var job = await cluster.Client.SubmitAsync(Chaos(chunks: 200, ms: 200));
        await TestCluster.PollAsync(() => cluster.Client.GetJobAsync(job.JobId), j => j.ChunksDone > 0, Deadline, "first chunk");

        await cluster.Client.CancelAsync(job.JobId);

        var cancelled = await cluster.Client.WaitForCompletionAsync(job.JobId).WaitAsync(Deadline);
        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.True(cancelled.ChunksDone < 200);
        await TestCluster.PollAsync(() => cluster.Client.ListWorkersAsync(), ws => ws.All(w => w.InFlight == 0), Deadline, "workers to drop the cancelled chunks");
        var next = await cluster.RunAsync(Chaos(chunks: 4, ms: 0));
        Assert.Equal(ChaosKind.ExpectedSum(4), Json(next).GetProperty("sum").GetInt64());
    }

    [Fact]
    public async Task WorkerKilledMidJob_ResultIdenticalToUndisturbedRun()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, threads: 1);
        var undisturbed = await cluster.RunAsync(Chaos(chunks: 60, ms: 30));
        var job = await cluster.Client.SubmitAsync(Chaos(chunks: 60, ms: 30));
        await TestCluster.PollAsync(() => cluster.Client.GetJobAsync(job.JobId), j => j.ChunksDone >= 24, Deadline, "40% of the chunks");

        cluster.Cluster.Workers[0].Kill();

        var disturbed = await cluster.Client.WaitForCompletionAsync(job.JobId).WaitAsync(Deadline);
        Assert.Equal(Json(undisturbed).GetProperty("sum").GetInt64(), Json(disturbed).GetProperty("sum").GetInt64());
        Assert.Equal(ChaosKind.ExpectedSum(60), Json(disturbed).GetProperty("sum").GetInt64());
        Assert.Equal(60, disturbed.ChunksDone);
        var departed = await TestCluster.PollAsync(
            () => cluster.Client.ListWorkersAsync(includeDeparted: true), ws => ws.Any(w => w.Status == "departed"), Deadline, "the departure");
        Assert.Contains("stream", departed.Single(w => w.Status == "departed").DepartureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkerJoiningMidJob_TakesChunks()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 1, threads: 1);
        var gate = Path.Combine(Path.GetTempPath(), $"cluster-gate-{Guid.NewGuid():N}");
        try
        {
            // Chunks from the fourth on wait for the gate, so the job is still running when the second worker has
            // joined, however long its start takes on a loaded machine.
            var job = await cluster.Client.SubmitAsync(Chaos(chunks: 80, ms: 20, ("gate", gate), ("gate-from", 3L)));
            await TestCluster.PollAsync(() => cluster.Client.GetJobAsync(job.JobId), j => j.ChunksDone >= 3, Deadline, "first chunks");

            await cluster.Cluster.StartWorkerAsync().WaitAsync(Deadline);
            await TestCluster.PollAsync(() => cluster.Client.ListWorkersAsync(), ws => ws.Count == 2, Deadline, "the second worker listed");
            await File.WriteAllTextAsync(gate, string.Empty);

            var done = await cluster.Client.WaitForCompletionAsync(job.JobId).WaitAsync(Deadline);
            Assert.Equal(ChaosKind.ExpectedSum(80), Json(done).GetProperty("sum").GetInt64());
            var workers = await cluster.Client.ListWorkersAsync();
            Assert.Equal(2, workers.Count);
            Assert.All(workers, w => Assert.True(w.Completed > 0, $"worker {w.WorkerId} completed no chunk"));
        }
        finally
        {
            File.Delete(gate);
        }
    }

    internal static JobSpec Chaos(long chunks, long ms, params (string Name, object Value)[] more)
    {
        var spec = Spec("chaos", [("ms", ms), .. more]);
        spec.Chunks = chunks;
        return spec;
    }
}
