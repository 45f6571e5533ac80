using Cluster.Contracts.V1;
using Cluster.Tests.Fakes;
using Cluster.Tests.Worker.Fakes;
using Cluster.Worker.Execution;
using Cluster.Worker.Reporting;

namespace Cluster.Tests.Worker.Reporting;

public sealed class HeartbeatLoopTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task RunAsync_IntervalPassesOnFakeTime_QueuesHeartbeatWithLoadAndClock()
    {
        var time = new SignallingTimeProvider();
        var stream = new FakeCoordinatorStream();
        var writer = new OutboundWriter(stream, new CarriedResults());
        var load = new FakeLoad { Running = 3, Queued = 5 };
        using var stop = new CancellationTokenSource();
        var writing = writer.RunAsync(stop.Token);
        var beating = new HeartbeatLoop(writer, load, time, Interval).RunAsync(stop.Token);

        Assert.Equal(Interval, await time.TimerCreatedAsync().WaitAsync(Deadline));
        time.Advance(Interval);
        var first = await stream.NextWrittenAsync().WaitAsync(Deadline);
        load.Running = 1;
        await time.TimerCreatedAsync().WaitAsync(Deadline);
        time.Advance(Interval);
        var second = await stream.NextWrittenAsync().WaitAsync(Deadline);

        Assert.Equal(3, first.Heartbeat.Running);
        Assert.Equal(5, first.Heartbeat.Queued);
        Assert.Equal(time.Start.AddSeconds(1).ToUnixTimeMilliseconds(), first.Heartbeat.SentUnixMs);
        Assert.True(first.Heartbeat.WorkingSetBytes > 0, "the heartbeat carries no working set");
        Assert.True(second.Heartbeat.ProcessCpuSeconds >= first.Heartbeat.ProcessCpuSeconds && first.Heartbeat.ProcessCpuSeconds > 0, "the heartbeat carries no CPU time");
        Assert.Equal(1, second.Heartbeat.Running);
        Assert.Equal(time.Start.AddSeconds(2).ToUnixTimeMilliseconds(), second.Heartbeat.SentUnixMs);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => beating.WaitAsync(Deadline));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writing.WaitAsync(Deadline));
    }

    [Fact]
    public async Task RunAsync_HeartbeatsWhileResultsQueue_KeepTheirPlaceInOrder()
    {
        var time = new SignallingTimeProvider();
        var stream = new FakeCoordinatorStream();
        var writer = new OutboundWriter(stream, new CarriedResults());
        using var stop = new CancellationTokenSource();
        var beating = new HeartbeatLoop(writer, new FakeLoad(), time, Interval).RunAsync(stop.Token);
        writer.TryEnqueue(Messages.Output("j", 0));
        await time.TimerCreatedAsync().WaitAsync(Deadline);

        time.Advance(Interval);
        // The loop waits on its next timer only once it queued the heartbeat.
        await time.TimerCreatedAsync().WaitAsync(Deadline);
        writer.TryEnqueue(Messages.Output("j", 1));
        writer.Complete();
        await writer.RunAsync(stop.Token).WaitAsync(Deadline);

        Assert.Equal(
            [WorkerMessage.PayloadOneofCase.Results, WorkerMessage.PayloadOneofCase.Heartbeat, WorkerMessage.PayloadOneofCase.Results],
            stream.DrainWritten().Select(m => m.PayloadCase));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => beating.WaitAsync(Deadline));
    }

    private sealed class FakeLoad : IComputeLoad
    {
        public int Running { get; set; }

        public int Queued { get; set; }
    }
}
