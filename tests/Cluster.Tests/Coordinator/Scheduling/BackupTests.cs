using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Membership;

namespace Cluster.Tests.Coordinator.Scheduling;

public sealed class BackupTests
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
}
