using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Cluster.Jobs;

namespace Cluster.TestBundles;

/// <summary>
/// bundle-sum: the sum of f(i) for i in [0, n), where version 1 of the bundle takes f(i) = i and version 2 takes i².
/// Both versions share this source and the assembly name, so only separate load contexts keep them apart. The tag of
/// the first job planned in this load context is kept in a static field and reported, so a job that saw another
/// bundle's static state would say so.
/// </summary>
public sealed class SumKind : IJobKind
{
#if V2
    public const int Version = 2;
#else
    public const int Version = 1;
#endif

    private static string? s_firstTag;

    public string Name => "bundle-sum";

    public string Description => $"Sum of i (version 1) or i squared (version 2) below n; this is version {Version}.";

    public IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        ParameterSpec.Int("n", "Numbers to add, from 0.", defaultValue: 100_000L),
        ParameterSpec.Int("chunk-ms", "Milliseconds each chunk sleeps, to keep a job running.", defaultValue: 0L),
        ParameterSpec.String("tag", "A label kept in the bundle's static state by the first job planned.", defaultValue: ""),
    ];

    public IJobPlan Plan(JobPlanContext context)
    {
        var n = context.Parameters.GetInt64("n");
        if (n < 1)
        {
            throw new JobParameterException("n", "must be at least 1");
        }

        Interlocked.CompareExchange(ref s_firstTag, context.Parameters.GetString("tag"), null);
        return new SumPlan(context.Chunking.Split(n), s_firstTag!);
    }

    public IChunkExecutor CreateExecutor(JobParameters parameters) => new SumExecutor((int)parameters.GetInt64("chunk-ms"));

    private sealed class SumPlan(ChunkLayout layout, string firstTag) : IJobPlan
    {
        public long ChunkCount => layout.Count;

        public void WritePayload(long chunkIndex, IBufferWriter<byte> writer)
        {
            var (start, end) = layout.Range(chunkIndex);
            var span = writer.GetSpan(16);
            BinaryPrimitives.WriteInt64LittleEndian(span, start);
            BinaryPrimitives.WriteInt64LittleEndian(span[8..], end);
            writer.Advance(16);
        }

        public IJobMerger CreateMerger() => new SumMerger(firstTag);
    }

    private sealed class SumExecutor(int chunkMilliseconds) : IChunkExecutor
    {
        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken)
        {
            var start = BinaryPrimitives.ReadInt64LittleEndian(payload);
            var end = BinaryPrimitives.ReadInt64LittleEndian(payload[8..]);
            if (chunkMilliseconds > 0)
            {
                cancellationToken.WaitHandle.WaitOne(chunkMilliseconds);
            }

            long sum = 0;
            for (var i = start; i < end; i++)
            {
                sum += Version == 1 ? i : i * i;
            }

            var span = output.GetSpan(8);
            BinaryPrimitives.WriteInt64LittleEndian(span, sum);
            output.Advance(8);
        }
    }

    private sealed class SumMerger(string firstTag) : IJobMerger
    {
        private long _sum;

        public void Merge(long chunkIndex, ReadOnlySpan<byte> output) => _sum += BinaryPrimitives.ReadInt64LittleEndian(output);

        public JobOutput Complete() => JobOutput.FromJson(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"sum\":{_sum},\"version\":{Version},\"first_tag\":{JsonSerializer.Serialize(firstTag)}}}"));
    }
}

/// <summary>bundle-plan-throws: its validation throws something other than a parameter error.</summary>
public sealed class PlanThrowsKind : IJobKind
{
    public string Name => "bundle-plan-throws";

    public string Description => "Validation throws InvalidOperationException.";

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [];

    public IJobPlan Plan(JobPlanContext context) => throw new InvalidOperationException("the plan refuses to be made");

    public IChunkExecutor CreateExecutor(JobParameters parameters) => throw new InvalidOperationException("never reached");
}

/// <summary>bundle-chunk-throws: every chunk throws, on every worker (a poison job).</summary>
public sealed class ChunkThrowsKind : IJobKind
{
    public string Name => "bundle-chunk-throws";

    public string Description => "Every chunk throws InvalidOperationException.";

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [];

    public IJobPlan Plan(JobPlanContext context) => new OneChunk();

    public IChunkExecutor CreateExecutor(JobParameters parameters) => new Throwing();

    private sealed class OneChunk : IJobPlan
    {
        public long ChunkCount => 1;

        public void WritePayload(long chunkIndex, IBufferWriter<byte> writer)
        {
        }

        public IJobMerger CreateMerger() => new NoMerge();
    }

    private sealed class NoMerge : IJobMerger
    {
        public void Merge(long chunkIndex, ReadOnlySpan<byte> output)
        {
        }

        public JobOutput Complete() => JobOutput.FromJson("{}");
    }

    private sealed class Throwing : IChunkExecutor
    {
        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the bundled chunk refuses to run");
    }
}
