using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using Cluster.Contracts.V1;
using Cluster.Jobs;
using Cluster.Worker.Execution;
using Cluster.Worker.Hosting;
using Google.Protobuf;
using OpenTelemetry;
using OpenTelemetry.Trace;
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

    [Fact]
    public async Task TryEnqueue_TracedJob_ChunkSpanIsAChildOfTheJobsTraceWithItsTags()
    {
        var spans = new Cluster.Tests.Coordinator.Observability.SpanCollection();
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSource(ChunkTracing.SourceName).AddInMemoryExporter(spans).Build();
        using var pool = NewPool(threads: 1);
        var sink = new RecordingSink();
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        var traced = new JobContext("traced", new FuncExecutor((_, _) => { }), null) { TraceParent = parent };

        pool.TryEnqueue(new WorkItem(new ChunkAssignment { JobId = "traced", ChunkIndex = 3, Attempt = 2, Payload = ByteString.Empty }, traced, sink));
        pool.TryEnqueue(Item("untraced", 4, new FuncExecutor((_, _) => { }), sink));
        await sink.NextAsync().WaitAsync(Deadline);
        await sink.NextAsync().WaitAsync(Deadline);

        var span = Assert.Single(spans.Where("cluster.job.id", "traced"));
        Assert.Equal((parent.TraceId, parent.SpanId), (span.TraceId, span.ParentSpanId));
        Assert.Equal((3L, 2, "done"), ((long)span.GetTagItem("cluster.chunk.index")!, (int)span.GetTagItem("cluster.chunk.attempt")!, (string)span.GetTagItem("cluster.chunk.outcome")!));
    }

    [Fact]
    public void Start_MoreChunksThanTracedPerSecond_OnlyTheFirstOfEachSecondTraced()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ChunkTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var tracing = new ChunkTracing(OptionsFactory.Create(new WorkerOptions { TracedChunksPerSecond = 2 }), time);
        var job = new JobContext("j", null, null) { TraceParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true) };
        bool Traced(long chunk)
        {
            using var span = tracing.Start(Item(job, chunk), "compute-0");
            return span is not null;
        }

        Assert.Equal([true, true, false], new[] { Traced(0), Traced(1), Traced(2) });
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Traced(3));
    }

    private static WorkItem Item(JobContext job, long chunk) =>
        new(new ChunkAssignment { JobId = job.JobId, ChunkIndex = chunk, Attempt = 1, Payload = ByteString.Empty }, job, new RecordingSink());

    private static ComputePool NewPool(int threads) => Cluster.Tests.Worker.Fakes.Messages.Pool(threads);

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
