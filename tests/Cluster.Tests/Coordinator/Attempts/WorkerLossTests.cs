using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;

namespace Cluster.Tests.Coordinator.Attempts;

public sealed class WorkerLossTests
{
    [Fact]
    public async Task Leave_HeldChunks_RunElsewhereUnderNewAttemptAndOldResultIsStale()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 1 });
        var doomed = host.AddWorker("doomed", 1);
        var job = await host.SubmitSquaresAsync(1);
        var lost = host.Take(doomed).Single();

        host.Departure.Leave(doomed);
        var survivor = host.AddWorker("survivor", 1);
        var retry = host.Take(survivor).Single();
        host.Answer(doomed, CoordinatorTestHost.Success(lost));

        Assert.Equal(lost.Chunk, retry.Chunk);
        Assert.Equal(2, retry.Attempt);
        Assert.Equal(1, job.Counters.StaleResults);
        Assert.Equal(1, job.Counters.RetriedAttempts);
        Assert.False(job.IsFinal);

        host.Answer(survivor, CoordinatorTestHost.Success(retry));
        Assert.Equal(JobState.Succeeded, job.State);
    }

    [Fact]
    public async Task Leave_ChunkLostWithEveryWorkerUpToLimit_JobFailsNamingLosses()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { MaxWorkerLosses = 3 });
        var job = await host.SubmitSquaresAsync(1);

        for (var i = 1; i <= 3; i++)
        {
            var worker = host.AddWorker($"w{i}", 1);
            Assert.Equal(i, host.Take(worker).Single().Attempt);
            worker.Abort($"killed {i}");
            host.Departure.Leave(worker);
        }

        Assert.Equal(JobState.Failed, job.State);
        Assert.Contains("Chunk 0 was lost 3 times", job.Error, StringComparison.Ordinal);
        Assert.Contains("attempt 3 on worker w3: killed 3", job.Error, StringComparison.Ordinal);
        Assert.Equal(3, job.Counters.LostAttempts);
        Assert.Equal(0, job.Counters.FailedAttempts);
    }

    [Fact]
    public async Task Leave_HeldChunks_EventNamesWorkerAndReason()
    {
        var host = new CoordinatorTestHost();
        var worker = host.AddWorker("w", 2);
        var job = await host.SubmitSquaresAsync(10);
        var held = host.Take(worker).Count;

        worker.Abort("stream broken: test");
        host.Departure.Leave(worker);

        Assert.Contains(job.RecentEvents, e => e.Text == $"worker w lost (stream broken: test): {held} running chunks will run elsewhere");
        Assert.Equal(held, job.Counters.LostAttempts);
    }
}
