using Cluster.Coordinator.Attempts;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using static Cluster.Tests.Coordinator.Journal.JournalTesting;

namespace Cluster.Tests.Coordinator.Journal;

public sealed class AttemptJournalTests
{
    [Fact]
    public async Task Recover_RunningJobWithFailuresAndLoss_LogCountsAndAttemptLimitSurvive()
    {
        using var dir = new TempDataDir();
        var options = new CoordinatorOptions { DataDir = dir.Path, InFlightPerThread = 1, MaxAttempts = 2 };
        var before = new CoordinatorTestHost(options);
        var a = before.AddWorker("a", 1);
        var job = await before.SubmitSquaresAsync(2);
        before.Answer(a, CoordinatorTestHost.Failure(before.Take(a).Single(), "first"));
        var doomed = before.AddWorker("doomed", 1);
        var lost = before.Take(doomed).Single();
        before.Departure.Leave(doomed);
        var (logged, _) = job.AttemptLog.Snapshot();
        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Lost], logged.Select(e => e.Outcome));
        await CloseAsync(before);

        var after = new CoordinatorTestHost(options);
        Assert.Equal((0, 1), after.Recovery.Recover());
        Assert.True(after.Store.TryGet(job.Id, out var resumed));
        Assert.Equal(logged, resumed.AttemptLog.Snapshot().Entries);
        Assert.Equal((1L, 1L, 1L), (resumed.Counters.FailedAttempts, resumed.Counters.LostAttempts, resumed.Counters.RetriedAttempts));

        // Chunk 0 failed once and was lost once (attempt 2) before the restart: it runs next, as attempt 3, its last allowed.
        var b = after.AddWorker("b", 1);
        var third = after.Take(b).Single();
        Assert.Equal((0L, 2), (lost.Chunk, lost.Attempt));
        Assert.Equal((0L, 3), (third.Chunk, third.Attempt));
        after.Answer(b, CoordinatorTestHost.Failure(third, "third"));

        Assert.Equal(JobState.Failed, resumed.State);
        Assert.StartsWith("Chunk 0 failed 2 attempts (the limit is 2)", resumed.Error, StringComparison.Ordinal);
        Assert.Contains("attempt 1 on worker a: System.InvalidOperationException: first", resumed.Error, StringComparison.Ordinal);
        await CloseAsync(after);
    }

    [Fact]
    public async Task Recover_FinishedJob_AttemptLogAndCountersListed()
    {
        using var dir = new TempDataDir();
        var options = new CoordinatorOptions { DataDir = dir.Path, InFlightPerThread = 1, AttemptLogLimit = 1 };
        var before = new CoordinatorTestHost(options);
        var a = before.AddWorker("a", 1);
        var job = await before.SubmitSquaresAsync(2);
        before.Answer(a, CoordinatorTestHost.Failure(before.Take(a).Single(), "flaky"));
        for (var round = 0; round < 10 && !job.IsFinal; round++)
        {
            before.Answer(a, [.. before.Take(a).Select(CoordinatorTestHost.Success)]);
        }

        Assert.Equal(JobState.Succeeded, job.State);
        var (logged, omitted) = job.AttemptLog.Snapshot();
        Assert.Equal(1, omitted);
        await CloseAsync(before);

        var after = new CoordinatorTestHost(options);
        Assert.Equal((1, 0), after.Recovery.Recover());
        Assert.True(after.Store.TryGet(job.Id, out var restored));
        Assert.Equal(logged, restored.AttemptLog.Snapshot().Entries);
        Assert.Equal(1, restored.AttemptLog.Omitted);
        Assert.Equal(AttemptOutcome.Failed, Assert.Single(restored.AttemptLog.Snapshot().Entries).Outcome);
        Assert.Equal((1L, 1L), (restored.Counters.FailedAttempts, restored.Counters.RetriedAttempts));
        await CloseAsync(after);
        using var db = OpenRead(dir.Path);
        Assert.Equal(0L, Scalar(db, "SELECT count(*) FROM chunk_faults;"));
    }

    [Fact]
    public async Task Forget_FinishedJob_AttemptRowsRemovedWithIt()
    {
        using var dir = new TempDataDir();
        var options = new CoordinatorOptions { DataDir = dir.Path, InFlightPerThread = 1, RetainedJobs = 1 };
        var host = new CoordinatorTestHost(options);
        var a = host.AddWorker("a", 1);
        var first = await host.SubmitSquaresAsync(1);
        host.Answer(a, CoordinatorTestHost.Failure(host.Take(a).Single(), "once"));
        host.Answer(a, CoordinatorTestHost.Success(host.Take(a).Single()));
        Assert.Equal(JobState.Succeeded, first.State);
        await CloseAsync(host);
        using (var db = OpenRead(dir.Path))
        {
            Assert.Equal(2L, Scalar(db, "SELECT count(*) FROM chunk_attempts;"));
        }

        // Started again, a second job finishes: with one job retained, the first is forgotten.
        var again = new CoordinatorTestHost(options);
        Assert.Equal((1, 0), again.Recovery.Recover());
        var b = again.AddWorker("b", 1);
        var second = await again.SubmitSquaresAsync(1);
        again.Answer(b, CoordinatorTestHost.Success(again.Take(b).Single()));
        Assert.Equal(JobState.Succeeded, second.State);
        Assert.False(again.Store.TryGet(first.Id, out _));
        await CloseAsync(again);

        using var after = OpenRead(dir.Path);
        Assert.Equal(0L, Scalar(after, "SELECT count(*) FROM chunk_attempts;"));
    }
}
