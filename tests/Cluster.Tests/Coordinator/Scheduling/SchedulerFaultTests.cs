using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Membership;
using JobState = Cluster.Coordinator.Jobs.JobState;

namespace Cluster.Tests.Coordinator.Scheduling;

public sealed class SchedulerFaultTests
{
    [Fact]
    public async Task TakeWork_StragglerNearEnd_BackupOnIdleWorkerWinsAndLoserIsStale()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions
        {
            InFlightPerThread = 1,
            BackupAfterMedians = 1.5,
            BackupMinimumRunTime = TimeSpan.FromMilliseconds(2),
        });
        var slow = host.AddWorker("slow", 1);
        var fast = host.AddWorker("fast", 1);
        var job = await host.SubmitSquaresAsync(5);
        var straggler = host.Take(slow).Single();
        for (var i = 0; i < 4; i++)
        {
            // Chunks take 1 ms on the fast worker; the slow worker sits on its first one.
            host.Answer(fast, [.. host.Take(fast).Select(a => CoordinatorTestHost.SuccessAfter(a, elapsedUs: 1000))]);
        }

        Assert.Empty(host.Take(fast));
        host.Time.Advance(TimeSpan.FromMilliseconds(3));
        var backup = host.Take(fast).Single();

        Assert.Equal(straggler.Chunk, backup.Chunk);
        Assert.Equal(2, backup.Attempt);
        Assert.Equal(1, job.Counters.BackupAttempts);
        host.Answer(fast, CoordinatorTestHost.Success(backup));
        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal($"{{\"sum\":{SquaresKind.Expected(5)}}}", job.Output!.SummaryJson);
        Assert.True(slow.TryDequeueControl(out var cancel));
        Assert.Equal(straggler.Attempt, Assert.IsType<CancelAttempts>(cancel).Attempts.Single().Attempt);
        host.Answer(slow, CoordinatorTestHost.Success(straggler));
        Assert.Equal(1, job.Counters.StaleResults);
        Assert.Equal(0, host.Ledger.InFlight(slow));
    }

    [Fact]
    public async Task TakeWork_TinyChunksNearEnd_NoBackupBeforeMinimumRunTime()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 1, BackupMinimumRunTime = TimeSpan.FromMilliseconds(200) });
        var slow = host.AddWorker("slow", 1);
        var fast = host.AddWorker("fast", 1);
        await host.SubmitSquaresAsync(5);
        host.Take(slow);
        for (var i = 0; i < 4; i++)
        {
            host.Answer(fast, [.. host.Take(fast).Select(a => CoordinatorTestHost.SuccessAfter(a, elapsedUs: 50))]);
        }

        host.Time.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Empty(host.Take(fast));

        host.Time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Single(host.Take(fast));
    }

    [Fact]
    public async Task TakeWork_BackupsOff_NoSecondAttempt()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 1, BackupAttempts = false });
        var slow = host.AddWorker("slow", 1);
        var fast = host.AddWorker("fast", 1);
        await host.SubmitSquaresAsync(4);
        host.Take(slow);
        for (var i = 0; i < 3; i++)
        {
            host.Answer(fast, [.. host.Take(fast).Select(CoordinatorTestHost.Success)]);
        }

        host.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Empty(host.Take(fast));
    }

    [Fact]
    public async Task RemoveSession_ChunkLostWithEveryWorkerUpToLimit_JobFailsNamingLosses()
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

    [Fact]
    public async Task OnResults_FailuresThatSucceedElsewhere_QuarantineWorkerUntilItEnds()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions
        {
            InFlightPerThread = 1,
            QuarantineAfterFailures = 2,
            QuarantineDuration = TimeSpan.FromSeconds(30),
        });
        var bad = host.AddWorker("bad", 1);
        var good = host.AddWorker("good", 1);
        var job = await host.SubmitSquaresAsync(6);

        for (var i = 0; i < 2; i++)
        {
            var failing = host.Take(bad).Single();
            host.Answer(bad, CoordinatorTestHost.Failure(failing, "bad hardware"));
            var retried = host.Take(good).Single();
            Assert.Equal(failing.Chunk, retried.Chunk);
            host.Answer(good, CoordinatorTestHost.Success(retried));
        }

        Assert.NotNull(host.Health.QuarantinedUntil("bad"));
        Assert.Empty(host.Take(bad));
        Assert.Contains(job.RecentEvents, e => e.Text.Contains("worker bad quarantined", StringComparison.Ordinal));
        host.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Single(host.Take(bad));
    }

    [Fact]
    public async Task RemoveSession_HeldChunks_EventNamesWorkerAndReason()
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
