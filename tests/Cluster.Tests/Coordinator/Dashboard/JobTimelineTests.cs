using Cluster.Coordinator.Dashboard;
using Microsoft.Extensions.Time.Testing;

namespace Cluster.Tests.Coordinator.Dashboard;

public sealed class JobTimelineTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Ended_AfterFakeTimePassed_TimesAndOutcomeRecorded()
    {
        var timeline = new JobTimeline(_time, capacity: 16);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        timeline.Started(3, 1, "w1", backup: false);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        timeline.Ended(3, 1, AttemptEnd.Failed, "System.IO.IOException: disk");
        timeline.Started(3, 2, "w1", backup: false);

        var attempts = timeline.Snapshot();

        Assert.Equal(2, attempts.Count);
        Assert.Equal(new TimelineAttempt(3, 1, "w1", 0, false, 100, 350, AttemptEnd.Failed, "System.IO.IOException: disk"), attempts[0]);
        Assert.Equal(AttemptEnd.Running, attempts[1].End);
        Assert.Null(attempts[1].EndMs);
        Assert.Equal(350, attempts[1].StartMs);
        Assert.Equal(350, timeline.Now());
    }

    [Fact]
    public void Started_ConcurrentAttemptsOnOneWorker_TakeLowestFreeLanes()
    {
        var timeline = new JobTimeline(_time, capacity: 16);
        timeline.Started(0, 1, "w1", backup: false);
        timeline.Started(1, 1, "w1", backup: false);
        timeline.Started(2, 1, "w2", backup: false);
        timeline.Ended(0, 1, AttemptEnd.Done);
        timeline.Started(3, 1, "w1", backup: false);
        timeline.Started(4, 1, "w1", backup: false);

        var lanes = timeline.Snapshot().Select(a => (a.Chunk, a.WorkerId, a.Lane)).ToList();

        Assert.Equal([(0L, "w1", 0), (1L, "w1", 1), (2L, "w2", 0), (3L, "w1", 0), (4L, "w1", 2)], lanes);
    }

    [Fact]
    public void Started_MoreThanCapacity_KeepsNewestAndCountsEvery()
    {
        var timeline = new JobTimeline(_time, capacity: 100);
        for (var chunk = 0; chunk < 250; chunk++)
        {
            timeline.Started(chunk, 1, "w1", backup: false);
            timeline.Ended(chunk, 1, AttemptEnd.Done);
        }

        var attempts = timeline.Snapshot();

        Assert.Equal(250, timeline.Recorded);
        Assert.Equal(Enumerable.Range(150, 100).Select(i => (long)i), attempts.Select(a => a.Chunk));
        Assert.All(attempts, a => Assert.Equal(0, a.Lane));

        // An attempt that fell out of the ring is ignored when it ends.
        timeline.Ended(0, 1, AttemptEnd.Failed);
        Assert.DoesNotContain(timeline.Snapshot(), a => a.End == AttemptEnd.Failed);
    }

    [Fact]
    public void Ended_StaleResultOfLostAttempt_MarkedStaleKeepingItsEnd()
    {
        var timeline = new JobTimeline(_time, capacity: 16);
        timeline.Started(0, 1, "w1", backup: false);
        _time.Advance(TimeSpan.FromSeconds(1));
        timeline.Ended(0, 1, AttemptEnd.Lost);
        _time.Advance(TimeSpan.FromSeconds(1));
        timeline.Ended(0, 1, AttemptEnd.Stale);
        timeline.Ended(0, 1, AttemptEnd.Done);

        var attempt = Assert.Single(timeline.Snapshot());

        Assert.Equal(AttemptEnd.Stale, attempt.End);
        Assert.Equal(1000, attempt.EndMs);
    }

    [Fact]
    public async Task Open_MoreJobsThanKept_OldestTimelineDropped()
    {
        var host = new CoordinatorTestHost(dashboard: new DashboardOptions { TimelineJobs = 2 });
        var jobs = new List<Cluster.Coordinator.Jobs.Job>();
        for (var i = 0; i < 3; i++)
        {
            jobs.Add(await host.SubmitSquaresAsync(1));
        }

        Assert.Null(jobs[0].Timeline);
        Assert.NotNull(jobs[1].Timeline);
        Assert.NotNull(jobs[2].Timeline);
    }

    [Fact]
    public async Task Open_TimelineJobsZero_NoJobGetsATimeline()
    {
        var host = new CoordinatorTestHost(dashboard: new DashboardOptions { TimelineJobs = 0 });

        var job = await host.SubmitSquaresAsync(1);

        Assert.Null(job.Timeline);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(1000, true)]
    [InlineData(1001, false)]
    public void Validate_TimelineJobs_ZeroAllowedAsOff(int jobs, bool valid)
    {
        var result = new DashboardOptionsValidator().Validate(null, new DashboardOptions { TimelineJobs = jobs });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("TimelineJobs must be between 0 (no timeline) and 1000", result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
