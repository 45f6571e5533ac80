using Cluster.Coordinator.Dashboard;
using Microsoft.Extensions.Time.Testing;

namespace Cluster.Tests.Coordinator.Dashboard;

public sealed class JobTimelineTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly long _origin;

    public JobTimelineTests() => _origin = _time.GetTimestamp();

    [Fact]
    public void Ended_AfterFakeTimePassed_TimesAndOutcomeRecorded()
    {
        var timeline = new JobTimeline(_time, capacity: 16);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        timeline.Started(3, 1, "w1", backup: false);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        timeline.Ended(3, 1, "w1", false, Stamp(100), AttemptEnd.Failed, "System.IO.IOException: disk");
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
        var tick = () => _time.Advance(TimeSpan.FromMilliseconds(1));
        timeline.Started(0, 1, "w1", backup: false);
        tick();
        timeline.Started(1, 1, "w1", backup: false);
        tick();
        timeline.Started(2, 1, "w2", backup: false);
        tick();
        timeline.Ended(0, 1, "w1", false, Stamp(0), AttemptEnd.Done);
        tick();
        timeline.Started(3, 1, "w1", backup: false);
        tick();
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
            timeline.Ended(chunk, 1, "w1", false, Stamp(0), AttemptEnd.Done);
        }

        var attempts = timeline.Snapshot();

        Assert.Equal(250, timeline.Recorded);
        Assert.Equal(Enumerable.Range(150, 100).Select(i => (long)i), attempts.Select(a => a.Chunk));
        Assert.All(attempts, a => Assert.Equal(0, a.Lane));

        // A result for an attempt that fell out of the ring marks nothing.
        timeline.MarkStale(0, 1);
        Assert.DoesNotContain(timeline.Snapshot(), a => a.End == AttemptEnd.Stale);
    }

    [Fact]
    public void Ended_StaleResultOfLostAttempt_MarkedStaleKeepingItsEnd()
    {
        var timeline = new JobTimeline(_time, capacity: 16);
        timeline.Started(0, 1, "w1", backup: false);
        _time.Advance(TimeSpan.FromSeconds(1));
        timeline.Ended(0, 1, "w1", false, Stamp(0), AttemptEnd.Lost);
        _time.Advance(TimeSpan.FromSeconds(1));
        timeline.MarkStale(0, 1);

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

    [Fact]
    public void Started_NoPageWatching_FirstAttemptsThatSucceedNotRecordedOddOnesAre()
    {
        var watched = false;
        var timeline = new JobTimeline(_time, capacity: 16, () => watched);
        timeline.Started(0, 1, "w1", backup: false);
        timeline.Started(1, 1, "w1", backup: false);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        timeline.Ended(0, 1, "w1", false, Stamp(0), AttemptEnd.Done);
        timeline.Ended(1, 1, "w1", false, Stamp(0), AttemptEnd.Failed, "boom");
        timeline.Started(1, 2, "w2", backup: false);
        timeline.Started(2, 1, "w1", backup: false);
        timeline.Started(2, 2, "w2", backup: true);
        watched = true;
        timeline.Started(3, 1, "w1", backup: false);

        var attempts = timeline.Snapshot().Select(a => (a.Chunk, a.Attempt, a.WorkerId, a.StartMs, a.EndMs, a.End)).ToList();

        Assert.Equal(
            [(1L, 1, "w1", 0.0, (double?)300, AttemptEnd.Failed), (1L, 2, "w2", 300.0, null, AttemptEnd.Running), (2L, 2, "w2", 300.0, null, AttemptEnd.Running), (3L, 1, "w1", 300.0, null, AttemptEnd.Running)],
            attempts);
        Assert.Equal(4, timeline.Recorded);
    }

    [Fact]
    public void Snapshot_AttemptRecordedAfterItEnded_LaidOnTheLaneFreeWhenItStarted()
    {
        var timeline = new JobTimeline(_time, capacity: 16, () => false);
        timeline.Started(0, 2, "w1", backup: false);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        timeline.Ended(1, 1, "w1", false, Stamp(50), AttemptEnd.Lost);
        timeline.Ended(0, 2, "w1", false, Stamp(0), AttemptEnd.Done);
        timeline.Ended(2, 1, "w1", false, Stamp(100), AttemptEnd.Cancelled);

        var lanes = timeline.Snapshot().Select(a => (a.Chunk, a.Lane)).ToList();

        // Chunk 1 ran beside chunk 0 (lane 1); chunk 2 started when chunk 0 had ended (lane 0).
        Assert.Equal([(0L, 0), (1L, 1), (2L, 0)], lanes);
    }

    private long Stamp(int ms) => _origin + (long)(ms / 1000.0 * _time.TimestampFrequency);
}
