using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;

namespace Cluster.Tests.Coordinator.Attempts;

public sealed class RetryLimitTests
{
    [Fact]
    public async Task Apply_ChunkFailsEveryAttempt_JobFailsNamingChunkAndAttempts()
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
    public async Task Apply_FailuresThatSucceedElsewhere_QuarantineWorkerUntilItEnds()
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
}
