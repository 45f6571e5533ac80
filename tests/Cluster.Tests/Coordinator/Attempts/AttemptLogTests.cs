using Cluster.Coordinator.Attempts;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;

namespace Cluster.Tests.Coordinator.Attempts;

public sealed class AttemptLogTests
{
    [Fact]
    public async Task Apply_FailedThenRetrySucceeded_BothLoggedWithWorkerTimesAndError()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 1 });
        var a = host.AddWorker("a", 1);
        var job = await host.SubmitSquaresAsync(2, maxAttempts: 3);
        var t0 = host.Time.GetUtcNow();
        var first = host.Take(a).Single();
        host.Time.Advance(TimeSpan.FromSeconds(2));
        host.Answer(a, CoordinatorTestHost.Failure(first, "boom"));
        var b = host.AddWorker("b", 1);
        var retry = host.Take(b).Single();
        host.Time.Advance(TimeSpan.FromSeconds(3));
        host.Answer(b, CoordinatorTestHost.Success(retry));
        for (var round = 0; round < 10 && !job.IsFinal; round++)
        {
            host.Answer(a, [.. host.Take(a).Select(CoordinatorTestHost.Success)]);
        }

        var (entries, omitted) = job.AttemptLog.Snapshot();
        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal(0, omitted);
        Assert.Equal(
            [
                new AttemptRecord(first.Chunk, 1, "a", t0, t0.AddSeconds(2), AttemptOutcome.Failed, "System.InvalidOperationException: boom"),
                new AttemptRecord(first.Chunk, 2, "b", t0.AddSeconds(2), t0.AddSeconds(5), AttemptOutcome.Succeeded, string.Empty),
            ],
            entries);
    }

    [Fact]
    public async Task Leave_WorkerDeparts_HeldAttemptsLoggedLostWithReason()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 1 });
        var doomed = host.AddWorker("doomed", 2);
        var job = await host.SubmitSquaresAsync(2);
        var held = host.Take(doomed);
        host.Time.Advance(TimeSpan.FromSeconds(1));

        doomed.Abort("stream broken: test");
        host.Departure.Leave(doomed);

        var (entries, _) = job.AttemptLog.Snapshot();
        Assert.Equal(held.Select(h => h.Chunk).Order(), entries.Select(e => e.Chunk).Order());
        Assert.All(entries, e =>
        {
            Assert.Equal(AttemptOutcome.Lost, e.Outcome);
            Assert.Equal("doomed", e.WorkerId);
            Assert.Equal(1, e.Attempt);
            Assert.Equal(TimeSpan.FromSeconds(1), e.EndedAt - e.StartedAt);
            Assert.Contains("stream broken: test", e.Error, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Answer_AfterLoss_StaleResultLoggedWithoutStart()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 1 });
        var doomed = host.AddWorker("doomed", 1);
        var job = await host.SubmitSquaresAsync(1);
        var lost = host.Take(doomed).Single();
        host.Departure.Leave(doomed);
        var survivor = host.AddWorker("survivor", 1);
        var retry = host.Take(survivor).Single();

        host.Answer(doomed, CoordinatorTestHost.Success(lost));
        host.Answer(survivor, CoordinatorTestHost.Success(retry));

        var (entries, _) = job.AttemptLog.Snapshot();
        Assert.Equal([AttemptOutcome.Lost, AttemptOutcome.Stale, AttemptOutcome.Succeeded], entries.Select(e => e.Outcome));
        Assert.Null(entries[1].StartedAt);
        Assert.Equal(("doomed", 1), (entries[1].WorkerId, entries[1].Attempt));
        Assert.Equal(("survivor", 2), (entries[2].WorkerId, entries[2].Attempt));
    }

    [Fact]
    public async Task Cancel_RunningAttempts_LoggedCancelled()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 1 });
        var worker = host.AddWorker("w", 2);
        var job = await host.SubmitSquaresAsync(4);
        var held = host.Take(worker);

        host.Finisher.Cancel(job, "test");

        var (entries, _) = job.AttemptLog.Snapshot();
        Assert.Equal(held.Count, entries.Count);
        Assert.All(entries, e => Assert.Equal((AttemptOutcome.Cancelled, "the job cancelled while it ran"), (e.Outcome, e.Error)));
    }

    [Fact]
    public async Task Apply_ChunksSucceedAtOnce_NothingLogged()
    {
        var host = new CoordinatorTestHost();
        var worker = host.AddWorker("w", 2);
        var job = await host.SubmitSquaresAsync(8);
        for (var round = 0; round < 20 && !job.IsFinal; round++)
        {
            host.Answer(worker, [.. host.Take(worker).Select(CoordinatorTestHost.Success)]);
        }

        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Empty(job.AttemptLog.Snapshot().Entries);
        Assert.Equal(0, job.AttemptLog.Omitted);
    }

    [Fact]
    public async Task Record_PastLimit_FirstKeptRestCounted()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { AttemptLogLimit = 2, MaxAttempts = 10 });
        var worker = host.AddWorker("w", 1);
        var job = await host.SubmitSquaresAsync(1);
        for (var i = 0; i < 5; i++)
        {
            host.Answer(worker, CoordinatorTestHost.Failure(host.Take(worker).Single(), $"fault {i + 1}"));
        }

        var (entries, omitted) = job.AttemptLog.Snapshot();
        Assert.Equal(["System.InvalidOperationException: fault 1", "System.InvalidOperationException: fault 2"], entries.Select(e => e.Error));
        Assert.Equal(3, omitted);
        Assert.Equal(5, job.Counters.FailedAttempts);
    }

    [Fact]
    public void Cut_LongError_CutToLimitWithEllipsis()
    {
        var cut = AttemptRecord.Cut(new string('x', AttemptRecord.MaxErrorLength + 10));

        Assert.Equal(AttemptRecord.MaxErrorLength, cut.Length);
        Assert.EndsWith("x…", cut, StringComparison.Ordinal);
        Assert.Equal("short", AttemptRecord.Cut("short"));
    }
}
