using Cluster.Contracts.V1;
using Cluster.Tests.Worker.Fakes;
using Cluster.Worker.Reporting;
using Grpc.Core;
using static Cluster.Tests.Worker.Fakes.Messages;

namespace Cluster.Tests.Worker.Reporting;

public sealed class OutboundWriterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly FakeCoordinatorStream _stream = new();
    private readonly CarriedResults _carried = new();

    [Fact]
    public async Task RunAsync_MoreResultsThanOneMessageHolds_SendsThemInBatchesOf4096InOrder()
    {
        var writer = new OutboundWriter(_stream, _carried);
        for (var i = 0; i < 5000; i++)
        {
            writer.TryEnqueue(Output("j", i));
        }

        writer.Complete();
        await writer.RunAsync(CancellationToken.None).WaitAsync(Deadline);

        var messages = _stream.DrainWritten();
        Assert.Equal([4096, 904], messages.Select(m => m.Results.Results.Count));
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => (long)i), messages.SelectMany(m => m.Results.Results).Select(r => r.ChunkIndex));
        Assert.True(_stream.Completed.IsCompleted);
    }

    [Fact]
    public async Task RunAsync_ControlMessageAmongResults_SentWhereItWasQueued()
    {
        var writer = new OutboundWriter(_stream, _carried);
        writer.TryEnqueue(Output("j", 0));
        writer.TryEnqueue(Output("j", 1));
        writer.EnqueueControl(new WorkerMessage { Drain = new DrainRequest { Reason = "test" } });
        writer.TryEnqueue(Output("j", 2));
        writer.EnqueueControl(new WorkerMessage { Heartbeat = new Heartbeat { Running = 1 } });

        writer.Complete();
        await writer.RunAsync(CancellationToken.None).WaitAsync(Deadline);

        var messages = _stream.DrainWritten();
        Assert.Equal(
            [WorkerMessage.PayloadOneofCase.Results, WorkerMessage.PayloadOneofCase.Drain, WorkerMessage.PayloadOneofCase.Results, WorkerMessage.PayloadOneofCase.Heartbeat],
            messages.Select(m => m.PayloadCase));
        Assert.Equal([0L, 1L], messages[0].Results.Results.Select(r => r.ChunkIndex));
        Assert.Equal([2L], messages[2].Results.Results.Select(r => r.ChunkIndex));
    }

    [Fact]
    public async Task RunAsync_ResultQueuedWhileRunning_IsSent()
    {
        var writer = new OutboundWriter(_stream, _carried);
        var running = writer.RunAsync(CancellationToken.None);

        writer.TryEnqueue(Output("j", 3));

        var sent = await _stream.ResultsAsync(1).WaitAsync(Deadline);
        Assert.Equal(3, Assert.Single(sent).ChunkIndex);
        writer.Complete();
        await running.WaitAsync(Deadline);
        await _stream.Completed.WaitAsync(Deadline);
    }

    [Fact]
    public async Task RunAsync_WriteFails_BatchIsCarriedAndLoopFails()
    {
        var writer = new OutboundWriter(_stream, _carried);
        _stream.FailWrites();
        writer.TryEnqueue(Output("j", 0));
        writer.TryEnqueue(Output("j", 1));

        await Assert.ThrowsAsync<RpcException>(() => writer.RunAsync(CancellationToken.None).WaitAsync(Deadline));

        var next = new CollectingOutlet();
        _carried.Attach(next);
        Assert.Equal([0L, 1L], next.Received.Select(r => r.ChunkIndex));
        Assert.False(_stream.Completed.IsCompleted);
    }

    [Fact]
    public async Task RunAsync_TokenFiresDuringHeldWrite_HeldBatchIsCarried()
    {
        var writer = new OutboundWriter(_stream, _carried);
        _stream.HoldWrites();
        using var stop = new CancellationTokenSource();
        var running = writer.RunAsync(stop.Token);
        writer.TryEnqueue(Output("j", 0));
        await _stream.WriteHeld.WaitAsync(Deadline);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(Deadline));
        Assert.Equal(1, _carried.Waiting);
        Assert.Empty(_stream.DrainWritten());
    }

    [Fact]
    public async Task CarryUnsent_SessionOfAnEpoch_CarriedResultsStampedWithIt()
    {
        var writer = new OutboundWriter(_stream, _carried, epoch: 7);
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.RunAsync(stop.Token).WaitAsync(Deadline));
        writer.TryEnqueue(Output("j", 0));

        writer.CarryUnsent();

        var next = new CollectingOutlet();
        _carried.Attach(next);
        Assert.Equal([7L], next.Received.Select(r => r.AssignedEpoch));
    }

    [Fact]
    public async Task CarryUnsent_AfterLoopStopped_CarriesQueuedResultsButNotControlOrReleased()
    {
        var writer = new OutboundWriter(_stream, _carried);
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.RunAsync(stop.Token).WaitAsync(Deadline));
        writer.TryEnqueue(Output("j", 0));
        writer.EnqueueControl(new WorkerMessage { Heartbeat = new Heartbeat() });
        writer.TryEnqueue(new ChunkResult { JobId = "j", ChunkIndex = 1, Released = true });
        writer.TryEnqueue(Output("j", 2));

        writer.CarryUnsent();

        var next = new CollectingOutlet();
        _carried.Attach(next);
        Assert.Equal([0L, 2L], next.Received.Select(r => r.ChunkIndex));
    }

    [Fact]
    public void TryEnqueue_AfterComplete_ReturnsFalse()
    {
        var writer = new OutboundWriter(_stream, _carried);

        writer.Complete();

        Assert.False(writer.TryEnqueue(Output("j", 0)));
    }
}
