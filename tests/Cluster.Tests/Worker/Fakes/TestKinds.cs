using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using Cluster.Jobs;

namespace Cluster.Tests.Worker.Fakes;

/// <summary>
/// A kind whose chunks the test steers: each chunk tells when it started, then runs until the test releases it or its
/// token fires (then it throws as a cancelled chunk does). Its output is the chunk index, 8 bytes.
/// </summary>
internal sealed class ControlledKind : IJobKind
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _started = new();
    private readonly ConcurrentDictionary<long, ManualResetEventSlim> _gates = new();
    private readonly ConcurrentQueue<long> _ran = new();

    public string Name => "controlled";

    public string Description => "Chunks run until the test releases them.";

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [];

    /// <summary>Chunks that started, in order.</summary>
    public IReadOnlyList<long> Ran => [.. _ran];

    public IJobPlan Plan(JobPlanContext context) => throw new NotSupportedException("Worker tests only execute.");

    public IChunkExecutor CreateExecutor(JobParameters parameters) => new Executor(this);

    /// <summary>Completes when chunk <paramref name="index"/> started.</summary>
    public Task Started(long index) => _started.GetOrAdd(index, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Lets chunk <paramref name="index"/> finish (now, or as soon as it starts).</summary>
    public void Release(long index) => Gate(index).Set();

    private ManualResetEventSlim Gate(long index) => _gates.GetOrAdd(index, _ => new ManualResetEventSlim(false));

    private sealed class Executor(ControlledKind kind) : IChunkExecutor
    {
        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken)
        {
            kind._ran.Enqueue(chunkIndex);
            kind._started.GetOrAdd(chunkIndex, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            if (!kind.Gate(chunkIndex).Wait(Bound, cancellationToken))
            {
                throw new TimeoutException($"The test never released chunk {chunkIndex}.");
            }

            BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), chunkIndex);
            output.Advance(8);
        }
    }
}

/// <summary>A kind whose chunks finish at once with their index as output; counts the executors it created and the parameter it got.</summary>
internal sealed class CountingKind : IJobKind
{
    private readonly ConcurrentQueue<long> _ran = new();
    private int _executors;

    public string Name => "counting";

    public string Description => "Chunks output their index.";

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [ParameterSpec.Int("scale", "a number the executor keeps", defaultValue: 1)];

    public int ExecutorsCreated => Volatile.Read(ref _executors);

    public long? LastScale { get; private set; }

    /// <summary>Chunks that ran, in order.</summary>
    public IReadOnlyList<long> Ran => [.. _ran];

    public IJobPlan Plan(JobPlanContext context) => throw new NotSupportedException("Worker tests only execute.");

    public IChunkExecutor CreateExecutor(JobParameters parameters)
    {
        Interlocked.Increment(ref _executors);
        LastScale = parameters.GetInt64("scale");
        return new Executor(_ran);
    }

    private sealed class Executor(ConcurrentQueue<long> ran) : IChunkExecutor
    {
        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken)
        {
            ran.Enqueue(chunkIndex);
            BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), chunkIndex);
            output.Advance(8);
        }
    }
}
