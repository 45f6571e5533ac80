using Cluster.Coordinator.Dashboard;
using Cluster.Coordinator.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Tests.Coordinator.Dashboard;

public sealed class LongChunksTests
{
    [Fact]
    public async Task Find_OneChunkPastThreeMediansAndTwoSeconds_OnlyItMarked()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 1, BackupAttempts = false });
        var slow = host.AddWorker("slow", 1);
        var fast = host.AddWorker("fast", 1);
        var job = await host.SubmitSquaresAsync(8);
        var hung = host.Take(slow).Single();
        for (var i = 0; i < 3; i++)
        {
            var quick = host.Take(fast).Single();
            host.Time.Advance(TimeSpan.FromMilliseconds(100));
            host.Answer(fast, CoordinatorTestHost.SuccessAfter(quick, elapsedUs: 1_000_000));
        }

        var running = host.Take(fast).Single();
        var rule = Rule(host);
        var early = rule.Find(job);
        host.Time.Advance(TimeSpan.FromMilliseconds(2800));

        var view = rule.Find(job);

        // The median chunk took 1 s: the threshold is 3 s. The hung chunk has run 3.1 s, the other 2.8 s.
        Assert.NotNull(early);
        Assert.Empty(early.Attempts);
        Assert.NotNull(view);
        Assert.Equal((1000.0, 3000L), (view.MedianMs, view.ThresholdMs));
        var marked = Assert.Single(view.Attempts);
        Assert.Equal((hung.Chunk, 1, "slow", 3100L), (marked.Chunk, marked.Attempt, marked.Worker, marked.RunningMs));
        Assert.NotEqual(running.Chunk, marked.Chunk);
    }

    [Fact]
    public async Task Find_FewerThanThreeChunksFinished_NoMedianNothingMarked()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 1 });
        var worker = host.AddWorker("w", 1);
        var job = await host.SubmitSquaresAsync(4);
        host.Answer(worker, CoordinatorTestHost.Success(host.Take(worker).Single()));
        host.Take(worker);
        host.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.Null(Rule(host).Find(job));
    }

    [Fact]
    public async Task Find_ShortMedian_TwoSecondMinimumApplies()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 1, BackupAttempts = false });
        var worker = host.AddWorker("w", 1);
        var job = await host.SubmitSquaresAsync(6);
        for (var i = 0; i < 3; i++)
        {
            host.Answer(worker, CoordinatorTestHost.SuccessAfter(host.Take(worker).Single(), elapsedUs: 10));
        }

        host.Take(worker);
        var rule = Rule(host);
        host.Time.Advance(TimeSpan.FromMilliseconds(1900));
        var before = rule.Find(job);
        host.Time.Advance(TimeSpan.FromMilliseconds(200));

        Assert.Equal(2000L, before!.ThresholdMs);
        Assert.Empty(before.Attempts);
        Assert.Single(rule.Find(job)!.Attempts);
    }

    private static LongChunks Rule(CoordinatorTestHost host) =>
        new(host.Dispatch, host.Time, Options.Create(new DashboardOptions()));
}
