using Cluster.Contracts.V1;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Membership;
using JobState = Cluster.Coordinator.Jobs.JobState;

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
    public async Task OnResults_EveryChunkAnswered_JobSucceedsWithIndependentSum()
    {
        var host = new CoordinatorTestHost();
        var a = host.AddWorker("a", 2);
        var b = host.AddWorker("b", 1);
        var job = await host.SubmitSquaresAsync(50);

        for (var round = 0; round < 100 && !job.IsFinal; round++)
        {
            // Answer in reverse order to show the result does not depend on arrival order.
            foreach (var worker in new[] { a, b })
            {
                var taken = host.Take(worker);
                taken.Reverse();
                host.Answer(worker, [.. taken.Select(CoordinatorTestHost.Success)]);
            }
        }

        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal($"{{\"sum\":{SquaresKind.Expected(50)}}}", job.Output!.SummaryJson);
        Assert.Equal(50, job.ChunksDone);
    }

    [Fact]
    public async Task OnResults_DuplicateResult_MergedOnceAndCountedStale()
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
    public async Task RemoveSession_HeldChunks_RunElsewhereUnderNewAttemptAndOldResultIsStale()
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
    public async Task OnResults_ChunkFailsEveryAttempt_JobFailsNamingChunkAndAttempts()
    {
        var host = new CoordinatorTestHost();
        var worker = host.AddWorker("w", 1);
        var job = await host.SubmitSquaresAsync(1, maxAttempts: 3);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var a = host.Take(worker).Single();
            Assert.Equal(attempt, a.Attempt);
            host.Answer(worker, CoordinatorTestHost.Failure(a, $"boom {attempt}"));
        }

        Assert.Equal(JobState.Failed, job.State);
        Assert.Contains("Chunk 0 failed 3 attempts", job.Error, StringComparison.Ordinal);
        Assert.Contains("attempt 3 on worker w: System.InvalidOperationException: boom 3", job.Error, StringComparison.Ordinal);
        Assert.Contains("at Test()", job.Error, StringComparison.Ordinal);
        Assert.Empty(host.Take(worker));
    }

    [Fact]
    public async Task OnResults_Released_RequeuedWithoutCountingAFailure()
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

    [Fact]
    public async Task Cancel_RunningJob_TellsWorkersAndDropsQueue()
    {
        var host = new CoordinatorTestHost();
        var worker = host.AddWorker("w", 1);
        var job = await host.SubmitSquaresAsync(10);
        var held = host.Take(worker);
        worker.MarkJobKnown(job.Id);

        Assert.True(host.Finisher.Cancel(job, "test"));

        Assert.Equal(JobState.Cancelled, job.State);
        Assert.True(worker.TryDequeueControl(out var cancel));
        Assert.Equal(held.Count, Assert.IsType<CancelAttempts>(cancel).Attempts.Count);
        Assert.True(worker.TryDequeueControl(out var closed));
        Assert.Equal(job.Id, Assert.IsType<CloseJob>(closed).JobId);
        Assert.Empty(host.Take(worker));
        Assert.Equal(0, host.Ledger.InFlight(worker));
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
}
