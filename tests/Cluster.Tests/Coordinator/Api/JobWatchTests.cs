using Cluster.Contracts.V1;
using Cluster.Coordinator.Api;
using Cluster.Coordinator.Hosting;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace Cluster.Tests.Coordinator.Api;

public sealed class JobWatchTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task WatchAsync_JobFinishes_FinalEventArrivesWithoutWaitingForTheInterval()
    {
        var options = new CoordinatorOptions { ProgressInterval = TimeSpan.FromHours(1) };
        var host = new CoordinatorTestHost(options);
        var worker = host.AddWorker("w", 4);
        var job = await host.SubmitSquaresAsync(2);
        var watch = new JobWatch(OptionsFactory.Create(options), host.Time);
        await using var events = watch.WatchAsync(job, CancellationToken.None).GetAsyncEnumerator();

        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Deadline));
        Assert.Equal(JobState.Pending, events.Current.Job.State);
        var next = events.MoveNextAsync().AsTask();
        host.Answer(worker, [.. host.Take(worker).Select(CoordinatorTestHost.Success)]);

        Assert.True(await next.WaitAsync(Deadline));
        Assert.Equal(JobState.Succeeded, events.Current.Job.State);
        Assert.Equal(2, events.Current.Job.ChunksDone);
        Assert.False(await events.MoveNextAsync().AsTask().WaitAsync(Deadline));
    }

    [Fact]
    public async Task WatchAsync_WorkerLost_EventNamesTheWorkerAtTheNextTick()
    {
        var options = new CoordinatorOptions { ProgressInterval = TimeSpan.FromMilliseconds(250) };
        var host = new CoordinatorTestHost(options);
        var worker = host.AddWorker("w", 1);
        var job = await host.SubmitSquaresAsync(4);
        host.Take(worker);
        var watch = new JobWatch(OptionsFactory.Create(options), host.Time);
        await using var events = watch.WatchAsync(job, CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Deadline));
        var next = events.MoveNextAsync().AsTask();

        worker.Abort("stream broken: test");
        host.Departure.Leave(worker);
        host.Time.Advance(TimeSpan.FromMilliseconds(250));

        Assert.True(await next.WaitAsync(Deadline));
        Assert.StartsWith("worker w lost (stream broken: test)", events.Current.Message, StringComparison.Ordinal);
        Assert.Equal(2, events.Current.Job.LostAttempts);
    }
}
