using System.Buffers;
using System.Collections.Concurrent;
using Cluster.Contracts.V1;
using Cluster.Jobs;
using Cluster.Worker.Execution;
using Cluster.Worker.Hosting;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace Cluster.Tests.Worker.Execution;

public sealed class ComputePoolTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task TryEnqueue_Chunk_RunsOnDedicatedComputeThreadAndReportsOutput()
    {
        using var pool = NewPool(threads: 2);
        var sink = new RecordingSink();
        var executor = new FuncExecutor((index, output) =>
        {
            var where = $"{Thread.CurrentThread.Name}|{Thread.CurrentThread.IsThreadPoolThread}";
            output.Write(System.Text.Encoding.UTF8.GetBytes(where));
        });

        Assert.True(pool.TryEnqueue(Item("j", 7, executor, sink)));

        var (_, result) = await sink.NextAsync().WaitAsync(Deadline);
        Assert.Equal(7, result.ChunkIndex);
        Assert.StartsWith("compute-", result.Output.ToStringUtf8(), StringComparison.Ordinal);
        Assert.EndsWith("|False", result.Output.ToStringUtf8(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryEnqueue_ExecutorThrows_ReportsFailureWithTypeMessageAndStack()
    {
        using var pool = NewPool(threads: 1);
        var sink = new RecordingSink();
        var executor = new FuncExecutor((_, _) => throw new InvalidDataException("bad block"));

        pool.TryEnqueue(Item("j", 3, executor, sink));

        var (_, result) = await sink.NextAsync().WaitAsync(Deadline);
        Assert.Equal(ChunkResult.OutcomeOneofCase.Failure, result.OutcomeCase);
        Assert.Equal("System.IO.InvalidDataException", result.Failure.ExceptionType);
        Assert.Equal("bad block", result.Failure.Message);
        Assert.Contains(nameof(ComputePoolTests), result.Failure.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TakeQueued_WhileThreadsBusy_ReturnsUnstartedItemsAndSkipsCancelledOnes()
    {
        using var pool = NewPool(threads: 1);
        var sink = new RecordingSink();
        using var gate = new ManualResetEventSlim(false);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocking = new FuncExecutor((_, _) =>
        {
            started.TrySetResult();
            gate.Wait(Deadline);
        });
        var quick = new FuncExecutor((_, _) => { });
        pool.TryEnqueue(Item("j", 0, blocking, sink));
        await started.Task.WaitAsync(Deadline);
        var cancelled = Item("j", 1, quick, sink);
        cancelled.Cancel();
        pool.TryEnqueue(cancelled);
        pool.TryEnqueue(Item("j", 2, quick, sink));

        var queued = pool.TakeQueued();
        gate.Set();

        Assert.Equal([1L, 2L], queued.Select(i => i.ChunkIndex));
        var (_, first) = await sink.NextAsync().WaitAsync(Deadline);
        Assert.Equal(0, first.ChunkIndex);
        pool.TryEnqueue(cancelled);
        await sink.SkippedAsync().WaitAsync(Deadline);
    }

    [Fact]
    public async Task Cancel_RunningChunk_TokenFiresAndNoResultIsSent()
    {
        using var pool = NewPool(threads: 1);
        var sink = new RecordingSink();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancellable = new TokenExecutor(token =>
        {
            started.TrySetResult();
            token.WaitHandle.WaitOne(Deadline);
            token.ThrowIfCancellationRequested();
        });
        var item = Item("j", 0, cancellable, sink);
        pool.TryEnqueue(item);
        await started.Task.WaitAsync(Deadline);

        item.Cancel();

        await sink.SkippedAsync().WaitAsync(Deadline);
        pool.TryEnqueue(Item("j", 1, new FuncExecutor((_, _) => { }), sink));
        var (_, next) = await sink.NextAsync().WaitAsync(Deadline);
        Assert.Equal(1, next.ChunkIndex);
        Assert.Equal(ChunkResult.OutcomeOneofCase.Output, next.OutcomeCase);
    }

    private static ComputePool NewPool(int threads) =>
        new(OptionsFactory.Create(new WorkerOptions { Coordinator = "http://127.0.0.1:1", Threads = threads }), TimeProvider.System, NullLogger<ComputePool>.Instance);

    private static WorkItem Item(string job, long chunk, IChunkExecutor executor, IWorkSink sink) =>
        new(new ChunkAssignment { JobId = job, ChunkIndex = chunk, Attempt = 1, Payload = ByteString.Empty }, new JobContext(job, executor, null), sink);

    private sealed class FuncExecutor(Action<long, IBufferWriter<byte>> run) : IChunkExecutor
    {
        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken) =>
            run(chunkIndex, output);
    }

    private sealed class TokenExecutor(Action<CancellationToken> run) : IChunkExecutor
    {
        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken) =>
            run(cancellationToken);
    }

    /// <summary>Hands finished and skipped items to the test as they come.</summary>
    private sealed class RecordingSink : IWorkSink
    {
        private readonly BlockingCollection<(WorkItem, ChunkResult)> _completed = [];
        private readonly TaskCompletionSource _skipped = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool IsLive => true;

        public void Complete(WorkItem item, ChunkResult result) => _completed.Add((item, result));

        public void Skip(WorkItem item) => _skipped.TrySetResult();

        public Task<(WorkItem Item, ChunkResult Result)> NextAsync() =>
            Task.Run(() => _completed.TryTake(out var next, Deadline) ? next : throw new TimeoutException("No chunk finished in time."));

        public Task SkippedAsync() => _skipped.Task;
    }
}
