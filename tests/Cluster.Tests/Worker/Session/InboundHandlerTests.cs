using System.Buffers.Binary;
using Cluster.Contracts.V1;
using Cluster.Jobs;
using Cluster.Tests.Hosting.Inputs;
using Cluster.Tests.Worker.Fakes;
using Cluster.Worker.Diagnostics;
using Cluster.Worker.Execution;
using Cluster.Worker.Reporting;
using Cluster.Worker.Session;
using Microsoft.Extensions.Logging.Abstractions;
using static Cluster.Tests.Worker.Fakes.Messages;

namespace Cluster.Tests.Worker.Session;

/// <summary>The session's handling of what the coordinator sends, on a real compute pool, results read off a fake stream.</summary>
public sealed class InboundHandlerTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly FakeCoordinatorStream _stream = new();
    private readonly CarriedResults _carried = new();
    private readonly ControlledKind _controlled = new();
    private readonly CountingKind _counting = new();
    private readonly ComputePool _pool = Pool(threads: 1);
    private readonly PendingAttempts _pending;
    private readonly InboundHandler _handler;
    private readonly StackResponder _stacks;
    private readonly CancellationTokenSource _stop = new();

    public InboundHandlerTests()
    {
        var writer = new OutboundWriter(_stream, _carried);
        _pending = new PendingAttempts(writer, _carried);
        var executors = new ExecutorCache(new JobKindCatalog([_controlled, _counting]), UnusedBundles.Create(), TestHttpInput.Default, NullLogger.Instance);
        _stacks = new StackResponder(_pool, writer, TimeProvider.System, NullLogger.Instance);
        _handler = new InboundHandler(executors, _pending, _pool, _stacks);
        _ = writer.RunAsync(_stop.Token);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _pool.Dispose();
    }

    [Fact]
    public async Task Handle_BundleStillDownloading_OtherJobsChunksRunMeanwhileAndItsOwnRunOnceItArrives()
    {
        var (id, bytes) = Cluster.Tests.Bundles.TestBundleFiles.Pack("Sum.V1");
        var download = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new FakeBundleServer(bytes, download.Task);
        using var cache = new Cluster.Tests.Bundles.TempFolder();
        var executors = new ExecutorCache(new JobKindCatalog([_counting]), server.Bundles(cache.Path), TestHttpInput.Default, NullLogger.Instance);
        var handler = new InboundHandler(executors, _pending, _pool, _stacks);
        var bundled = new AssignmentBatch { Jobs = { new JobDefinition { JobId = "b", Kind = "bundle-sum", BundleId = id } } };
        bundled.Chunks.Add(new ChunkAssignment { JobId = "b", ChunkIndex = 0, Attempt = 1, Payload = Range(0, 10) });

        // The read loop is not held up by the download: the message is handled, and the next job's chunks run.
        await handler.HandleAsync(new CoordinatorMessage { Assignments = bundled }, CancellationToken.None).WaitAsync(Deadline);
        var more = new AssignmentBatch();
        more.Chunks.Add(new ChunkAssignment { JobId = "b", ChunkIndex = 1, Attempt = 1, Payload = Range(10, 20) });
        await handler.HandleAsync(new CoordinatorMessage { Assignments = more }, CancellationToken.None).WaitAsync(Deadline);
        await handler.HandleAsync(Assign("c", _counting.Name, 0, 1), CancellationToken.None).WaitAsync(Deadline);
        var meanwhile = await _stream.ResultsAsync(2).WaitAsync(Deadline);
        Assert.Equal(["c", "c"], meanwhile.Select(r => r.JobId));
        Assert.Equal(1, server.Fetches);

        download.SetResult();
        var after = await _stream.ResultsAsync(2).WaitAsync(Deadline);

        // Version 1 sums i below the end: 0..9 gives 45, 10..19 gives 145.
        Assert.All(after, r => Assert.Equal("b", r.JobId));
        var sums = after.OrderBy(r => r.ChunkIndex).Select(r => BinaryPrimitives.ReadInt64LittleEndian(r.Output.Span));
        Assert.Equal([45L, 145L], sums);
    }

    private static Google.Protobuf.ByteString Range(long start, long end)
    {
        var payload = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(payload, start);
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(8), end);
        return Google.Protobuf.ByteString.CopyFrom(payload);
    }

    [Fact]
    public async Task Handle_DefinitionSentAgainLater_PreparesTheExecutorOnceAndRunsEveryChunk()
    {
        await _handler.HandleAsync(Assign("j", _counting.Name, 0, 1), CancellationToken.None);
        await _handler.HandleAsync(Assign("j", _counting.Name, 2), CancellationToken.None);

        var results = await _stream.ResultsAsync(3).WaitAsync(Deadline);

        Assert.Equal(1, _counting.ExecutorsCreated);
        Assert.Equal([0L, 1L, 2L], results.Select(OutputIndex).Order());
    }

    [Fact]
    public async Task Handle_UnknownKind_EveryChunkFailsNamingTheKind()
    {
        await _handler.HandleAsync(Assign("j", "nope", 0, 1), CancellationToken.None);

        var results = await _stream.ResultsAsync(2).WaitAsync(Deadline);

        Assert.All(results, r =>
        {
            Assert.Equal(ChunkResult.OutcomeOneofCase.Failure, r.OutcomeCase);
            Assert.Equal("System.InvalidOperationException", r.Failure.ExceptionType);
            Assert.Contains("does not know job kind 'nope'", r.Failure.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Handle_StackRequestForARunningAttempt_RepliesWithItsComputeThreadStackNamingTheWaitingMethod()
    {
        await _handler.HandleAsync(Assign("j", _controlled.Name, 0), CancellationToken.None);
        await _controlled.Started(0).WaitAsync(Deadline);

        var asked = new StackRequest { RequestId = 7, Attempts = { new ChunkRef { JobId = "j", ChunkIndex = 0, Attempt = 1 }, new ChunkRef { JobId = "j", ChunkIndex = 5, Attempt = 1 } } };
        await _handler.HandleAsync(new CoordinatorMessage { StackRequest = asked }, CancellationToken.None);
        var reply = (await _stream.NextWrittenAsync().WaitAsync(TimeSpan.FromSeconds(60))).StackReply;

        _controlled.Release(0);
        Assert.Equal(7, reply.RequestId);
        Assert.Equal(string.Empty, reply.Error);
        var stack = Assert.Single(reply.Stacks);
        Assert.Equal(0, stack.Attempt.ChunkIndex);
        Assert.Equal("compute-0", stack.Thread);
        Assert.Contains(stack.Frames, f => f.Contains("ControlledKind+Executor.Execute", StringComparison.Ordinal));
        Assert.Contains(stack.Frames, f => f.Contains("ManualResetEventSlim.Wait", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handle_CancelOfRunningAttempt_ItsTokenFiresAndNoResultIsSent()
    {
        await _handler.HandleAsync(Assign("j", _controlled.Name, 0), CancellationToken.None);
        await _controlled.Started(0).WaitAsync(Deadline);

        await _handler.HandleAsync(Cancel("j", 0), CancellationToken.None);

        _controlled.Release(1);
        await _handler.HandleAsync(AssignMore("j", 1), CancellationToken.None);
        var next = await _stream.ResultsAsync(1).WaitAsync(Deadline);
        Assert.Equal([1L], next.Select(r => r.ChunkIndex));
        Assert.Equal(0, _pending.Count);
    }

    [Fact]
    public async Task Handle_CancelOfQueuedAttempt_ItNeverStarts()
    {
        await _handler.HandleAsync(Assign("j", _controlled.Name, 0, 1, 2), CancellationToken.None);
        await _controlled.Started(0).WaitAsync(Deadline);

        await _handler.HandleAsync(Cancel("j", 1), CancellationToken.None);
        _controlled.Release(0);
        _controlled.Release(2);

        var results = await _stream.ResultsAsync(2).WaitAsync(Deadline);
        Assert.Equal([0L, 2L], results.Select(r => r.ChunkIndex));
        Assert.Equal([0L, 2L], _controlled.Ran);
    }

    [Fact]
    public async Task Handle_CancelOfAnAttemptNotHeld_IsIgnored()
    {
        await _handler.HandleAsync(Assign("j", _counting.Name, 0), CancellationToken.None);
        var first = await _stream.ResultsAsync(1).WaitAsync(Deadline);

        await _handler.HandleAsync(Cancel("j", 0), CancellationToken.None);
        await _handler.HandleAsync(Cancel("other", 5), CancellationToken.None);
        await _handler.HandleAsync(AssignMore("j", 1), CancellationToken.None);

        Assert.Equal(0, first.Single().ChunkIndex);
        Assert.Equal(1, (await _stream.ResultsAsync(1).WaitAsync(Deadline)).Single().ChunkIndex);
    }

    [Fact]
    public async Task Handle_JobClosed_RunningChunkStopsAndLaterAssignmentsOfItAreDropped()
    {
        await _handler.HandleAsync(Assign("j", _controlled.Name, 0), CancellationToken.None);
        await _controlled.Started(0).WaitAsync(Deadline);

        await _handler.HandleAsync(Closed("j"), CancellationToken.None);
        await _handler.HandleAsync(AssignMore("j", 1), CancellationToken.None);
        await _handler.HandleAsync(Assign("k", _counting.Name, 7), CancellationToken.None);

        var results = await _stream.ResultsAsync(1).WaitAsync(Deadline);
        Assert.Equal(("k", 7L), (results.Single().JobId, results.Single().ChunkIndex));
        Assert.Equal([0L], _controlled.Ran);
        Assert.False(_pending.TryGet("j", 1, 1, out _));
    }

    [Fact]
    public async Task Handle_AssignmentOfAJobNeverDefined_IsDropped()
    {
        await _handler.HandleAsync(AssignMore("unknown", 0), CancellationToken.None);
        await _handler.HandleAsync(Assign("k", _counting.Name, 1), CancellationToken.None);

        var results = await _stream.ResultsAsync(1).WaitAsync(Deadline);
        Assert.Equal("k", results.Single().JobId);
        Assert.Equal(0, _pending.Count);
    }

    [Fact]
    public async Task Handle_AssignmentWhileDraining_ReleasedNotStarted()
    {
        _pending.BeginDrain();

        await _handler.HandleAsync(Assign("j", _controlled.Name, 0), CancellationToken.None);

        var result = (await _stream.ResultsAsync(1).WaitAsync(Deadline)).Single();
        Assert.True(result.Released);
        Assert.Equal((0L, 1), (result.ChunkIndex, result.Attempt));
        Assert.Empty(_controlled.Ran);
        Assert.Equal(0, _pending.Count);
    }
}
