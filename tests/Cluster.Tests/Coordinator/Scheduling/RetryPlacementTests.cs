using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;

namespace Cluster.Tests.Coordinator.Scheduling;

public sealed class RetryPlacementTests
{
    [Fact]
    public async Task TakeWork_ChunkFailedOnWorker_RetriedOnAnotherWhileOneExists()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 1 });
        var a = host.AddWorker("a", 1);
        var b = host.AddWorker("b", 1);
        await host.SubmitSquaresAsync(3);
        var first = host.Take(a).Single();
        var other = host.Take(b).Single();
        host.Answer(a, CoordinatorTestHost.Failure(first, "boom"));

        var next = host.Take(a).Single();
        host.Answer(b, CoordinatorTestHost.Success(other));
        var retry = host.Take(b).Single();

        Assert.NotEqual(first.Chunk, next.Chunk);
        Assert.Equal(first.Chunk, retry.Chunk);
        Assert.Equal(2, retry.Attempt);
    }

    [Fact]
    public async Task TakeWork_FailedChunkAndNoOtherWorker_RetriedOnSameWorker()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 1 });
        var a = host.AddWorker("a", 1);
        await host.SubmitSquaresAsync(1);
        var first = host.Take(a).Single();

        host.Answer(a, CoordinatorTestHost.Failure(first, "boom"));

        Assert.Equal(2, host.Take(a).Single().Attempt);
    }

    [Fact]
    public async Task TakeWork_ChunkFailedOnEveryWorker_StillRetriedUpToTheLimit()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 1 });
        var a = host.AddWorker("a", 1);
        var b = host.AddWorker("b", 1);
        var job = await host.SubmitSquaresAsync(1, maxAttempts: 3);
        host.Answer(a, CoordinatorTestHost.Failure(host.Take(a).Single(), "boom"));
        host.Answer(b, CoordinatorTestHost.Failure(host.Take(b).Single(), "boom"));

        var third = host.Take(a).Single();
        host.Answer(a, CoordinatorTestHost.Failure(third, "boom"));

        Assert.Equal(3, third.Attempt);
        Assert.Equal(JobState.Failed, job.State);
        Assert.Equal(3, job.Counters.FailedAttempts);
    }
}
