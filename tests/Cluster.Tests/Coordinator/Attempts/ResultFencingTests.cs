using Cluster.Contracts.V1;
using JobState = Cluster.Coordinator.Jobs.JobState;

namespace Cluster.Tests.Coordinator.Attempts;

public sealed class ResultFencingTests
{
    [Fact]
    public async Task Apply_DuplicateResult_MergedOnceAndCountedStale()
    {
        var host = new CoordinatorTestHost();
        var worker = host.AddWorker("w", 1);
        var job = await host.SubmitSquaresAsync(3);
        var first = host.Take(worker)[0];

        host.Answer(worker, CoordinatorTestHost.Success(first), CoordinatorTestHost.Success(first));

        Assert.Equal(1, job.ChunksDone);
        Assert.Equal(1, job.Counters.StaleResults);
    }

    [Fact]
    public async Task Apply_Released_RequeuedWithoutCountingAFailure()
    {
        var host = new CoordinatorTestHost();
        var worker = host.AddWorker("w", 1);
        var job = await host.SubmitSquaresAsync(1, maxAttempts: 1);
        var a = host.Take(worker).Single();

        host.Answer(worker, new ChunkResult { JobId = job.Id, ChunkIndex = a.Chunk, Attempt = a.Attempt, Released = true });
        var again = host.Take(worker).Single();
        host.Answer(worker, CoordinatorTestHost.Success(again));

        Assert.Equal(JobState.Succeeded, job.State);
    }
}
