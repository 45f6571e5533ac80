using Cluster.Contracts.V1;
using Cluster.Jobs;
using Cluster.Tests.Fakes;
using Cluster.Tests.Hosting.Inputs;
using Cluster.Tests.Worker.Fakes;
using Cluster.Worker.Execution;
using Cluster.Worker.Reporting;
using Cluster.Worker.Session;
using static Cluster.Tests.Worker.Fakes.Messages;

namespace Cluster.Tests.Worker.Session;

/// <summary>A whole session over a fake stream, on a real compute pool and fake time: draining, and the end of the session.</summary>
public sealed class CoordinatorSessionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Forever = TimeSpan.FromDays(1);
    private readonly FakeCoordinatorStream _stream = new();
    private readonly CarriedResults _carried = new();
    private readonly ControlledKind _controlled = new();
    private readonly CountingKind _counting = new();
    private readonly SignallingTimeProvider _time = new();
    private readonly ListLogger _logger = new();

    [Fact]
    public async Task RunAsync_AssignmentsOverTheStream_ResultsWrittenBackUntilTheStreamEnds()
    {
        using var pool = Pool(threads: 2);
        await using var session = NewSession(pool);
        var run = session.RunAsync();

        await _stream.SendAsync(Assign("j", _counting.Name, 0, 1, 2)).WaitAsync(Deadline);
        var results = await _stream.ResultsAsync(3).WaitAsync(Deadline);
        _stream.End();

        await run.WaitAsync(Deadline);
        Assert.Equal([0L, 1L, 2L], results.Select(OutputIndex).Order());
        Assert.Equal(0, _carried.Waiting);
    }

    [Fact]
    public async Task RunAsync_ResultsCarriedFromAnEarlierSession_SentOnThisOne()
    {
        using var pool = Pool(threads: 1);
        _carried.Add(Output("old", 9));
        await using var session = NewSession(pool);

        var run = session.RunAsync();

        var sent = await _stream.ResultsAsync(1).WaitAsync(Deadline);
        Assert.Equal(("old", 9L), (sent.Single().JobId, sent.Single().ChunkIndex));
        _stream.End();
        await run.WaitAsync(Deadline);
    }

    [Fact]
    public async Task DrainAsync_AttemptsRunningAndQueued_ReleasesQueuedClosesTheStreamWhenTheLastOneEndsThenWaitsForTheCallsEnd()
    {
        using var pool = Pool(threads: 2);
        await using var session = NewSession(pool);
        var run = session.RunAsync();
        await _stream.SendAsync(Assign("j", _controlled.Name, 0, 1, 2)).WaitAsync(Deadline);
        await Task.WhenAll(_controlled.Started(0), _controlled.Started(1)).WaitAsync(Deadline);

        var drain = session.DrainAsync("test", Forever);

        Assert.Equal("test", (await _stream.NextWrittenAsync().WaitAsync(Deadline)).Drain.Reason);
        var released = (await _stream.ResultsAsync(1).WaitAsync(Deadline)).Single();
        Assert.Equal((2L, true), (released.ChunkIndex, released.Released));
        _controlled.Release(0);
        Assert.Equal(0, (await _stream.ResultsAsync(1).WaitAsync(Deadline)).Single().ChunkIndex);
        Assert.False(drain.IsCompleted);
        _controlled.Release(1);

        Assert.Equal(1, (await _stream.ResultsAsync(1).WaitAsync(Deadline)).Single().ChunkIndex);
        await _stream.Completed.WaitAsync(Deadline);
        Assert.Equal(0, Drained().Values["Unfinished"]);
        Assert.Equal([0L, 1L], _controlled.Ran.Order());
        Assert.False(drain.IsCompleted);
        _stream.End();
        await drain.WaitAsync(Deadline);
        await run.WaitAsync(Deadline);
        Assert.DoesNotContain(_logger.Entries, e => e.EventId == 4103);
    }

    [Fact]
    public async Task DrainAsync_CoordinatorNeverEndsTheCall_ReturnsWhenItsBoundPassesOnFakeTime()
    {
        using var pool = Pool(threads: 1);
        await using var session = NewSession(pool);
        var run = session.RunAsync();

        var drain = session.DrainAsync("test", Forever);
        await _stream.Completed.WaitAsync(Deadline);
        await DrainTimerAsync(TimeSpan.FromSeconds(3));
        _time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(drain.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));

        await drain.WaitAsync(Deadline);
        Assert.Single(_logger.Entries, e => e.EventId == 4103);
        _stream.End();
        await run.WaitAsync(Deadline);
    }

    [Fact]
    public async Task DrainAsync_AttemptNeverEnds_GivesUpWhenTheTimeoutPassesOnFakeTimeAndItsResultIsCarried()
    {
        using var pool = Pool(threads: 1);
        await using var session = NewSession(pool);
        var run = session.RunAsync();
        await _stream.SendAsync(Assign("j", _controlled.Name, 0)).WaitAsync(Deadline);
        await _controlled.Started(0).WaitAsync(Deadline);

        var drain = session.DrainAsync("test", TimeSpan.FromSeconds(20));
        await DrainTimerAsync(TimeSpan.FromSeconds(20));
        _time.Advance(TimeSpan.FromSeconds(19));
        Assert.False(drain.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        await _stream.Completed.WaitAsync(Deadline);
        Assert.Equal(1, Drained().Values["Unfinished"]);
        _controlled.Release(0);
        _stream.End();
        await drain.WaitAsync(Deadline);
        await run.WaitAsync(Deadline);
        var next = new CollectingOutlet();
        _carried.Attach(next);
        await next.WaitForAsync(1).WaitAsync(Deadline);
        Assert.Equal(0, next.Received.Single().ChunkIndex);
    }

    [Fact]
    public async Task RunAsync_StreamEndsWhileAWriteIsHeld_HeldResultAndOneFinishingMeanwhileAreCarried()
    {
        using var pool = Pool(threads: 2);
        await using var session = NewSession(pool);
        var run = session.RunAsync();
        await _stream.SendAsync(Assign("j", _controlled.Name, 0, 1)).WaitAsync(Deadline);
        await Task.WhenAll(_controlled.Started(0), _controlled.Started(1)).WaitAsync(Deadline);
        _stream.HoldWrites();
        _controlled.Release(0);
        await _stream.WriteHeld.WaitAsync(Deadline);

        // Chunk 1 finishes while the session ends: its result enters the writer before the end, or is carried after it.
        var finishing = Task.Run(() => _controlled.Release(1));
        _stream.End();
        await run.WaitAsync(Deadline);
        await finishing.WaitAsync(Deadline);

        var next = new CollectingOutlet();
        _carried.Attach(next);
        await next.WaitForAsync(2).WaitAsync(Deadline);
        Assert.Equal([0L, 1L], next.Received.Select(r => r.ChunkIndex).Order());
        Assert.DoesNotContain(_stream.DrainWritten(), m => m.PayloadCase == WorkerMessage.PayloadOneofCase.Results);
    }

    [Fact]
    public async Task RunAsync_ResultsRacingTheEndOfTheSession_EachIsSentOrCarriedExactlyOnce()
    {
        for (var round = 0; round < 20; round++)
        {
            var stream = new FakeCoordinatorStream();
            var carried = new CarriedResults();
            var kind = new CountingKind();
            using var pool = Pool(threads: 1);
            await using var session = NewSession(pool, stream, carried, kind);
            var run = session.RunAsync();

            _ = stream.SendAsync(Assign("j", kind.Name, [.. Enumerable.Range(0, 300).Select(i => (long)i)]));
            stream.End();
            await run.WaitAsync(Deadline);
            await PoolSentinel.AfterEverythingQueuedAsync(pool).WaitAsync(Deadline);

            var next = new CollectingOutlet();
            carried.Attach(next);
            var sent = stream.DrainWritten().Where(m => m.PayloadCase == WorkerMessage.PayloadOneofCase.Results).SelectMany(m => m.Results.Results);
            var accounted = sent.Concat(next.Received).Select(r => r.ChunkIndex).Order().ToList();
            Assert.Equal(kind.Ran.Order(), accounted);
        }
    }

    [Fact]
    public async Task RunAsync_SessionEnded_ItsQueuedAttemptsAreNotStartedAndTheRunningOnesResultIsCarried()
    {
        using var pool = Pool(threads: 1);
        await using var session = NewSession(pool);
        var run = session.RunAsync();
        await _stream.SendAsync(Assign("j", _controlled.Name, 0, 1, 2)).WaitAsync(Deadline);
        await _controlled.Started(0).WaitAsync(Deadline);
        _controlled.Release(1);
        _controlled.Release(2);

        _stream.End();
        await run.WaitAsync(Deadline);
        _controlled.Release(0);
        await PoolSentinel.AfterEverythingQueuedAsync(pool).WaitAsync(Deadline);

        Assert.Equal([0L], _controlled.Ran);
        var next = new CollectingOutlet();
        _carried.Attach(next);
        Assert.Equal([0L], next.Received.Select(r => r.ChunkIndex));
    }

    [Fact]
    public async Task RunAsync_StoppingTokenFires_SessionEndsWithoutCompletingTheStream()
    {
        using var pool = Pool(threads: 1);
        using var stopping = new CancellationTokenSource();
        await using var session = NewSession(pool, _stream, _carried, _counting, stopping.Token);
        var run = session.RunAsync();

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Deadline));
        Assert.False(_stream.Completed.IsCompleted);
    }

    private CoordinatorSession NewSession(ComputePool pool) => NewSession(pool, _stream, _carried, _counting);

    private CoordinatorSession NewSession(ComputePool pool, FakeCoordinatorStream stream, CarriedResults carried, CountingKind counting, CancellationToken stopping = default) =>
        new(
            stream.Call(),
            // Heartbeats far apart: advancing the fake clock for a drain's timeout does not send one.
            new JoinAccepted { HeartbeatIntervalMs = int.MaxValue, LeaseMs = int.MaxValue, SessionId = "s" },
            pool,
            new ExecutorCache(new JobKindCatalog([_controlled, counting]), UnusedBundles.Create(), TestHttpInput.Default, _logger),
            _time,
            _logger,
            carried,
            null,
            stopping);

    private ListLogger.Entry Drained() => Assert.Single(_logger.Entries, e => e.EventId == 4102);

    /// <summary>Waits until the drain waits on its timeout (the heartbeat loop's timer comes and goes too).</summary>
    private async Task DrainTimerAsync(TimeSpan timeout)
    {
        while (await _time.TimerCreatedAsync().WaitAsync(Deadline) != timeout)
        {
        }
    }
}
