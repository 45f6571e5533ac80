using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Security;

namespace Cluster.Tests.Coordinator.Dashboard;

public sealed class DashboardSnapshotTests
{
    [Fact]
    public void Build_WorkerReportedUsageTwice_CpuPercentOfTheIntervalAndMemoryInMiB()
    {
        var host = new CoordinatorTestHost();
        var worker = host.AddWorker("w", 2);
        var silent = host.AddWorker("silent", 1);
        worker.ReportUsage(10.0, 100 << 20);
        var once = Assert.Single(host.Dashboard.Build(Caller.Anonymous, null).Workers, w => w.Id == "w");
        host.Time.Advance(TimeSpan.FromSeconds(2));
        worker.ReportUsage(13.0, 150 << 20);

        var state = host.Dashboard.Build(Caller.Anonymous, null);

        Assert.Null(once.CpuPercent);
        Assert.Equal(100.0, once.MemoryMiB);
        var view = Assert.Single(state.Workers, w => w.Id == "w");
        Assert.Equal(150.0, view.CpuPercent);
        Assert.Equal(150.0, view.MemoryMiB);
        var unreported = Assert.Single(state.Workers, w => w.Id == silent.WorkerId);
        Assert.Null(unreported.CpuPercent);
        Assert.Null(unreported.MemoryMiB);
    }

    [Fact]
    public async Task Build_WorkerLostAndChunkRetried_WorkerDepartedWithReasonAndTimelineShowsLostThenDone()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 1 });
        var doomed = host.AddWorker("doomed", 1);
        var job = await host.SubmitSquaresAsync(1);
        var lost = host.Take(doomed).Single();
        host.Time.Advance(TimeSpan.FromMilliseconds(400));
        doomed.Abort("killed by test");
        host.Departure.Leave(doomed);
        host.Registry.Remove(doomed);
        var survivor = host.AddWorker("survivor", 1);
        var retry = host.Take(survivor).Single();
        host.Time.Advance(TimeSpan.FromMilliseconds(100));
        host.Answer(survivor, CoordinatorTestHost.Success(retry));

        var state = host.Dashboard.Build(Caller.Anonymous, job.Id);

        var departed = Assert.Single(state.Workers, w => w.Id == "doomed");
        Assert.Equal("departed", departed.State);
        Assert.Contains("killed by test", departed.Departure, StringComparison.Ordinal);
        Assert.Equal("connected", Assert.Single(state.Workers, w => w.Id == "survivor").State);
        var view = Assert.Single(state.Jobs);
        Assert.Equal(("succeeded", 1L, 1L, 1L, 1L), (view.State, view.ChunksDone, view.ChunksTotal, view.Lost, view.Retried));
        Assert.NotNull(state.Timeline);
        Assert.Equal(
            [(lost.Chunk, 1, "doomed", "lost", 0.0, (double?)400), (lost.Chunk, 2, "survivor", "done", 400.0, (double?)500)],
            state.Timeline.Attempts.Select(a => (a.Chunk, a.Attempt, a.Worker, a.Outcome, a.StartMs, a.EndMs)));
    }

    [Fact]
    public async Task Build_FailedAttempt_TimelineCarriesErrorAndJobEventsNameIt()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 1 });
        var worker = host.AddWorker("w", 1);
        var job = await host.SubmitSquaresAsync(1, maxAttempts: 3);
        var first = host.Take(worker).Single();
        host.Answer(worker, CoordinatorTestHost.Failure(first, "boom"));

        var state = host.Dashboard.Build(Caller.Anonymous, job.Id);

        var attempt = Assert.Single(state.Timeline!.Attempts);
        Assert.Equal("failed", attempt.Outcome);
        Assert.Equal("System.InvalidOperationException: boom", attempt.Error);
        Assert.Equal(1, state.Jobs.Single().Failed);
        Assert.Contains(state.Jobs.Single().Events, e => e.Contains("boom", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_PageOpenOnlyForTheSecondChunk_TimelineHoldsWhatRanWhileWatched()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 1 });
        var worker = host.AddWorker("w", 1);
        var job = await host.SubmitSquaresAsync(2);
        host.Answer(worker, CoordinatorTestHost.Success(host.Take(worker).Single()));
        Assert.True(host.Streams.TryEnter());
        var watched = host.Take(worker).Single();
        host.Answer(worker, CoordinatorTestHost.Success(watched));

        var state = host.Dashboard.Build(Caller.Anonymous, job.Id);

        Assert.Equal(2, state.Jobs.Single().ChunksDone);
        var attempt = Assert.Single(state.Timeline!.Attempts);
        Assert.Equal((watched.Chunk, "done"), (attempt.Chunk, attempt.Outcome));
    }

    [Fact]
    public async Task Build_ClientCaller_SeesOnlyOwnJobsAndNoTimelineOfOthers()
    {
        var host = new CoordinatorTestHost();
        var submit = (string owner) => host.Submitter.SubmitAsync(CoordinatorTestHost.Squares(2) with { Owner = owner }, AsyncEnumerable.Empty<ReadOnlyMemory<byte>>(), CancellationToken.None);
        var alices = await submit("alice");
        var bobs = await submit("bob");

        var alice = host.Dashboard.Build(new Caller("alice", TokenRole.Client), bobs.Id);
        var admin = host.Dashboard.Build(new Caller("root", TokenRole.Admin), bobs.Id);

        Assert.Equal([alices.Id], alice.Jobs.Select(j => j.Id));
        Assert.Null(alice.Timeline);
        Assert.Null(host.Dashboard.Find(new Caller("alice", TokenRole.Client), bobs.Id));
        Assert.Equal(2, admin.Jobs.Count);
        Assert.NotNull(admin.Timeline);
    }

    [Fact]
    public async Task Build_ChunksMergedOverFakeSeconds_RateAndEtaFromTheWindow()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 1 });
        var worker = host.AddWorker("w", 1);
        var job = await host.SubmitSquaresAsync(10);
        host.Answer(worker, [.. host.Take(worker).Select(Slow)]);
        var first = host.Dashboard.Build(Caller.Anonymous, null);
        for (var i = 0; i < 4; i++)
        {
            host.Answer(worker, [.. host.Take(worker).Select(Slow)]);
        }

        Assert.Single(host.Take(worker));
        host.Time.Advance(TimeSpan.FromSeconds(2));
        var second = host.Dashboard.Build(Caller.Anonymous, null);

        Assert.Equal(0, first.Jobs.Single().ChunksPerSecond);
        Assert.Null(first.Jobs.Single().EtaSeconds);
        var view = second.Jobs.Single();
        Assert.Equal(5, view.ChunksDone);
        Assert.Equal(2.0, view.ChunksPerSecond, 6);
        Assert.Equal(2.5, view.EtaSeconds!.Value, 6);
        var worker1 = second.Workers.Single();
        Assert.Equal(2.0, worker1.ChunksPerSecond, 6);
        Assert.Equal(1, worker1.Busy);
        Assert.Equal(job.Id, view.Id);
    }

    // Chunks of a second: the in-flight depth stays at one per thread, so each take is one chunk.
    private static Cluster.Contracts.V1.ChunkResult Slow(Cluster.Coordinator.Scheduling.Assignment a) => CoordinatorTestHost.SuccessAfter(a, elapsedUs: 1_000_000);
}
