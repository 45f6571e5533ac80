using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Journal;
using Cluster.Tests.Coordinator.Journal;
using static Cluster.Tests.Coordinator.Journal.JournalTesting;

namespace Cluster.Tests.Coordinator.Jobs;

public sealed class JobStoreTests
{
    [Fact]
    public async Task Sweep_FinishedLongerThanRetentionAge_ForgottenOnTheMinuteTimerNewerKept()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { RetentionAge = TimeSpan.FromHours(1) });
        var worker = host.AddWorker("a", 4);
        var first = await RunAsync(host, worker, 5);
        host.Time.Advance(TimeSpan.FromMinutes(30));
        var second = await RunAsync(host, worker, 5);

        host.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.True(host.Store.TryGet(first.Id, out _));

        host.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.False(host.Store.TryGet(first.Id, out _));
        Assert.True(host.Store.TryGet(second.Id, out _));
    }

    [Fact]
    public async Task OnFinished_PastRetentionBytes_OldestForgottenWithItsFileNewestAlwaysKept()
    {
        using var dir = new TempDataDir();
        var resultBytes = $"{{\"sum\":{SquaresKind.Expected(5)}}}".Length;
        var host = new CoordinatorTestHost(new CoordinatorOptions { DataDir = dir.Path, RetentionBytes = (2 * resultBytes) + 1 });
        var worker = host.AddWorker("a", 4);
        var jobs = new List<Job>();
        for (var i = 0; i < 3; i++)
        {
            jobs.Add(await RunAsync(host, worker, 5));
        }

        Assert.False(host.Store.TryGet(jobs[0].Id, out _));
        Assert.True(host.Store.TryGet(jobs[1].Id, out _));
        Assert.True(host.Store.TryGet(jobs[2].Id, out _));
        Assert.Equal(2 * resultBytes, host.Store.RetainedResultBytes);
        await CloseAsync(host);
        var data = new DataDirectory(dir.Path);
        Assert.Equal(new[] { data.ResultFile(jobs[1].Id), data.ResultFile(jobs[2].Id) }.Order(), Directory.GetFiles(data.ResultsPath).Order());

        var tiny = new CoordinatorTestHost(new CoordinatorOptions { RetentionBytes = 1 });
        var only = tiny.AddWorker("b", 4);
        var older = await RunAsync(tiny, only, 5);
        Assert.True(tiny.Store.TryGet(older.Id, out _));
        var newest = await RunAsync(tiny, only, 5);
        Assert.False(tiny.Store.TryGet(older.Id, out _));
        Assert.True(tiny.Store.TryGet(newest.Id, out _));
    }

    [Fact]
    public async Task Recover_JobsPastRetentionAgeWhileStopped_ForgottenAtStartWithTheirFiles()
    {
        using var dir = new TempDataDir();
        var options = new CoordinatorOptions { DataDir = dir.Path, RetentionAge = TimeSpan.FromDays(7) };
        var before = new CoordinatorTestHost(options);
        var worker = before.AddWorker("a", 4);
        var old = await RunAsync(before, worker, 5);
        before.Time.Advance(TimeSpan.FromDays(2));
        var recent = await RunAsync(before, worker, 5);
        await CloseAsync(before);

        var after = new CoordinatorTestHost(options);
        after.Time.Advance(TimeSpan.FromDays(8));
        Assert.Equal((2, 0), after.Recovery.Recover());
        await CloseAsync(after);

        Assert.False(after.Store.TryGet(old.Id, out _));
        Assert.True(after.Store.TryGet(recent.Id, out var kept));
        Assert.Equal(JobState.Succeeded, kept.State);
        var data = new DataDirectory(dir.Path);
        Assert.Equal([data.ResultFile(recent.Id)], Directory.GetFiles(data.ResultsPath));
        using var db = OpenRead(dir.Path);
        Assert.Equal(recent.Id, Scalar(db, "SELECT group_concat(id) FROM jobs"));
    }

    private static async Task<Job> RunAsync(CoordinatorTestHost host, Cluster.Coordinator.Membership.WorkerSession worker, long chunks)
    {
        var job = await host.SubmitSquaresAsync(chunks);
        for (var round = 0; round < 100 && !job.IsFinal; round++)
        {
            host.Answer(worker, [.. host.Take(worker).Select(CoordinatorTestHost.Success)]);
        }

        Assert.Equal(JobState.Succeeded, job.State);
        return job;
    }
}
