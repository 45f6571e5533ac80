using System.Buffers;
using System.Buffers.Binary;
using Cluster.Jobs;

namespace Cluster.Tests.Coordinator;

/// <summary>A test kind: chunk i outputs i*i; the result is the sum, which the test can compute on its own.</summary>
internal sealed class SquaresKind : IJobKind
{
    public string Name => "squares";

    public string Description => "Sums i*i over the chunk indices.";

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [ParameterSpec.Int("n", "chunks", required: true)];

    public IJobPlan Plan(JobPlanContext context) => new SquaresPlan(context.Parameters.GetInt64("n"));

    public IChunkExecutor CreateExecutor(JobParameters parameters) => new SquaresExecutor();

    public static long Expected(long n) => Enumerable.Range(0, (int)n).Sum(i => (long)i * i);

    private sealed class SquaresPlan(long n) : IJobPlan
    {
        public long ChunkCount => n;

        public void WritePayload(long chunkIndex, IBufferWriter<byte> writer)
        {
            BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), chunkIndex);
            writer.Advance(8);
        }

        public IJobMerger CreateMerger() => new SumMerger();
    }

    private sealed class SumMerger : IJobMerger
    {
        private long _sum;

        public void Merge(long chunkIndex, ReadOnlySpan<byte> output) => _sum += BinaryPrimitives.ReadInt64LittleEndian(output);

        public JobOutput Complete() => JobOutput.FromJson($"{{\"sum\":{_sum}}}");
    }

    private sealed class SquaresExecutor : IChunkExecutor
    {
        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken)
        {
            var i = BinaryPrimitives.ReadInt64LittleEndian(payload);
            BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), i * i);
            output.Advance(8);
        }
    }
}
