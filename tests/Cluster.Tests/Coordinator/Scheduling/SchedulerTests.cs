using Cluster.Coordinator.Hosting;

namespace Cluster.Tests.Coordinator.Scheduling;

public sealed class SchedulerTests
{
    [Fact]
    public async Task TakeWork_FreshSession_FillsThreadsTimesWindow()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 2 });
        var worker = host.AddWorker("w1", threads: 3);
        await host.SubmitSquaresAsync(100);

        var taken = host.Take(worker);

        Assert.Equal(6, taken.Count);
        Assert.Empty(host.Take(worker));
        Assert.All(taken, a => Assert.Equal(1, a.Attempt));
    }

    [Fact]
    public async Task TakeWork_TwoJobs_AlternatesBetweenThem()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 4 });
        var worker = host.AddWorker("w1", threads: 2);
        var first = await host.SubmitSquaresAsync(100);
        var second = await host.SubmitSquaresAsync(100);

        var taken = host.Take(worker);

        Assert.Equal(8, taken.Count);
        Assert.Equal(4, taken.Count(a => a.Job == first));
        Assert.Equal(4, taken.Count(a => a.Job == second));
        for (var i = 1; i < taken.Count; i++)
        {
            Assert.NotSame(taken[i - 1].Job, taken[i].Job);
        }
    }

    [Fact]
    public async Task TakeWork_DrainingSession_GetsNothing()
    {
        var host = new CoordinatorTestHost();
        var worker = host.AddWorker("w", 4);
        await host.SubmitSquaresAsync(10);

        host.Scheduler.MarkDraining(worker);

        Assert.Empty(host.Take(worker));
    }

    [Fact]
    public async Task TakeWork_TinyChunks_PipelinesDeeper()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 2, InFlightPerThreadForTinyChunks = 16 });
        var worker = host.AddWorker("w", 1);
        await host.SubmitSquaresAsync(1000);

        for (var round = 0; round < 5; round++)
        {
            host.Answer(worker, [.. host.Take(worker).Select(CoordinatorTestHost.Success)]);
        }

        Assert.Equal(16, host.Take(worker).Count);
    }

    [Theory]
    [InlineData(100, 50)]
    [InlineData(1000, 5)]
    [InlineData(2500, 2)]
    [InlineData(40_000, 2)]
    [InlineData(1, 256)]
    public async Task TakeWork_MeanChunkTime_DepthFillsQueuedWorkBetweenBounds(long chunkMicros, int expected)
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 2, InFlightPerThreadForTinyChunks = 256, QueuedWorkPerThread = TimeSpan.FromMilliseconds(5) });
        var worker = host.AddWorker("w", 1);
        await host.SubmitSquaresAsync(100_000);

        // Enough answered attempts that the job's mean chunk time is known.
        for (var round = 0; round < 8; round++)
        {
            host.Answer(worker, [.. host.Take(worker).Select(a => CoordinatorTestHost.SuccessAfter(a, chunkMicros))]);
        }

        Assert.Equal(expected, host.Take(worker).Count);
    }
}
