using Cluster.Contracts.V1;
using Cluster.Tests.Fakes;
using Cluster.Tests.Worker.Fakes;
using Cluster.Worker.Execution;
using Cluster.Worker.Reporting;
using Cluster.Worker.Session;
using static Cluster.Tests.Worker.Fakes.Messages;

namespace Cluster.Tests.Worker.Session;

public sealed class PendingAttemptsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Forever = TimeSpan.FromDays(1);
    private readonly FakeCoordinatorStream _stream = new();
    private readonly CarriedResults _carried = new();
    private readonly OutboundWriter _writer;
    private readonly PendingAttempts _pending;
    private readonly JobContext _job = new("j", null, null);

    public PendingAttemptsTests()
    {
        _writer = new OutboundWriter(_stream, _carried);
        _pending = new PendingAttempts(_writer, _carried);
    }

    [Fact]
    public async Task Complete_HeldAttempt_ResultGoesToTheWriter()
    {
        var item = Hold(0);

        _pending.Complete(item, Output("j", 0));

        Assert.Equal(0, _pending.Count);
        Assert.Equal([0L], (await SentAsync()).Select(r => r.ChunkIndex));
        Assert.Equal(0, _carried.Waiting);
    }

    [Fact]
    public async Task Complete_SameAttemptTwice_SecondIsIgnored()
    {
        var item = Hold(0);
        _pending.Complete(item, Output("j", 0));

        _pending.Complete(item, Output("j", 0));

        Assert.Single(await SentAsync());
    }

    [Fact]
    public async Task Complete_AfterSkip_IsIgnored()
    {
        var item = Hold(0);
        _pending.Skip(item);

        _pending.Complete(item, Output("j", 0));

        Assert.Empty(await SentAsync());
        Assert.Equal(0, _carried.Waiting);
    }

    [Fact]
    public async Task Complete_AfterTheSessionEnded_IsCarriedAtOnce()
    {
        var item = Hold(0);

        _pending.End();
        _pending.Complete(item, Output("j", 0));

        Assert.False(_pending.IsLive);
        Assert.Equal(1, _carried.Waiting);
        Assert.Empty(await SentAsync());
    }

    [Fact]
    public void Complete_ReleasedAfterTheSessionEnded_IsNotCarried()
    {
        var item = Hold(0);
        _pending.End();

        item.Release();

        Assert.Equal(0, _pending.Count);
        Assert.Equal(0, _carried.Waiting);
    }

    [Fact]
    public void Complete_AfterTheWriterCompleted_IsCarried()
    {
        var item = Hold(0);
        _writer.Complete();

        _pending.Complete(item, Output("j", 0));

        Assert.Equal(1, _carried.Waiting);
    }

    [Fact]
    public async Task TrySendCarried_WhileLive_QueuesOnTheWriterAndAfterEndRefuses()
    {
        Assert.True(_pending.TrySendCarried(Output("j", 0)));
        _pending.End();

        Assert.False(_pending.TrySendCarried(Output("j", 1)));
        Assert.Equal([0L], (await SentAsync()).Select(r => r.ChunkIndex));
    }

    [Fact]
    public void TryGet_HeldAttempt_FoundByJobChunkAndAttempt()
    {
        var item = Hold(4);

        Assert.True(_pending.TryGet("j", 4, 1, out var found));
        Assert.Same(item, found);
        Assert.False(_pending.TryGet("j", 4, 2, out _));
        Assert.False(_pending.TryGet("k", 4, 1, out _));
    }

    [Fact]
    public async Task WaitDrainedAsync_NothingHeld_CompletesAtOnce()
    {
        _pending.BeginDrain();

        Assert.True(await _pending.WaitDrainedAsync(Forever, TimeProvider.System, CancellationToken.None).WaitAsync(Deadline));
        Assert.True(_pending.IsDraining);
    }

    [Fact]
    public async Task WaitDrainedAsync_AttemptsHeld_CompletesWhenTheLastOneEnds()
    {
        var first = Hold(0);
        var second = Hold(1);
        _pending.BeginDrain();
        var drained = _pending.WaitDrainedAsync(Forever, TimeProvider.System, CancellationToken.None);

        _pending.Complete(first, Output("j", 0));
        Assert.False(drained.IsCompleted);
        _pending.Skip(second);

        Assert.True(await drained.WaitAsync(Deadline));
    }

    [Fact]
    public async Task WaitDrainedAsync_AttemptNeverEnds_ReturnsFalseWhenTheTimeoutPassesOnFakeTime()
    {
        var time = new SignallingTimeProvider();
        Hold(0);
        _pending.BeginDrain();
        var drained = _pending.WaitDrainedAsync(TimeSpan.FromSeconds(20), time, CancellationToken.None);

        await time.TimerCreatedAsync().WaitAsync(Deadline);
        time.Advance(TimeSpan.FromSeconds(19));
        Assert.False(drained.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(await drained.WaitAsync(Deadline));
        Assert.Equal(1, _pending.Count);
    }

    [Fact]
    public async Task WaitDrainedAsync_SessionStopped_Throws()
    {
        Hold(0);
        using var stop = new CancellationTokenSource();
        _pending.BeginDrain();
        var drained = _pending.WaitDrainedAsync(Forever, TimeProvider.System, stop.Token);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => drained.WaitAsync(Deadline));
    }

    [Fact]
    public async Task WaitDrainedAsync_CompletionsRacingTheStartOfTheDrain_SignalIsNeverMissed()
    {
        for (var round = 0; round < 200; round++)
        {
            var pending = new PendingAttempts(new OutboundWriter(new FakeCoordinatorStream(), _carried), _carried);
            var completed = new WorkItem(Chunk("j", 0), _job, pending);
            var skipped = new WorkItem(Chunk("j", 1), _job, pending);
            pending.Add(completed);
            pending.Add(skipped);
            using var go = new Barrier(3);
            var done = new[] { OnOwnThread(go, () => pending.Complete(completed, Output("j", 0))), OnOwnThread(go, () => pending.Skip(skipped)) };

            go.SignalAndWait(Deadline);
            pending.BeginDrain();
            var drained = pending.WaitDrainedAsync(Forever, TimeProvider.System, CancellationToken.None);

            await Task.WhenAll(done).WaitAsync(Deadline);
            Assert.True(await drained.WaitAsync(Deadline), $"round {round}");
        }
    }

    /// <summary>Runs <paramref name="action"/> on a thread of its own as soon as every party reached <paramref name="go"/>.</summary>
    private static Task OnOwnThread(Barrier go, Action action)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            go.SignalAndWait(Deadline);
            action();
            done.SetResult();
        })
        {
            IsBackground = true,
        };
        thread.Start();
        return done.Task;
    }

    private WorkItem Hold(long chunk)
    {
        var item = new WorkItem(Chunk("j", chunk), _job, _pending);
        _pending.Add(item);
        return item;
    }

    /// <summary>Everything the writer was given, once it sent it all.</summary>
    private async Task<List<ChunkResult>> SentAsync()
    {
        _writer.Complete();
        await _writer.RunAsync(CancellationToken.None).WaitAsync(Deadline);
        return [.. _stream.DrainWritten().SelectMany(m => m.Results.Results)];
    }
}
