using System.Buffers;
using Cluster.Jobs;

namespace Cluster.Tests.Coordinator;

/// <summary>A test kind of large payloads: chunk i's payload is <c>bytes</c> bytes of the value i; its output is empty.</summary>
internal sealed class BlocksKind : IJobKind
{
    public string Name => "blocks";

    public string Description => "Chunks with large payloads.";

    public IReadOnlyList<ParameterSpec> Parameters { get; } =
        [ParameterSpec.Int("n", "chunks", required: true), ParameterSpec.Int("bytes", "payload bytes per chunk", required: true)];

    public IJobPlan Plan(JobPlanContext context) => new BlocksPlan(context.Parameters.GetInt64("n"), (int)context.Parameters.GetInt64("bytes"));

    public IChunkExecutor CreateExecutor(JobParameters parameters) => throw new NotSupportedException("Only planned in these tests.");

    private sealed class BlocksPlan(long n, int bytes) : IJobPlan
    {
        public long ChunkCount => n;

        public void WritePayload(long chunkIndex, IBufferWriter<byte> writer)
        {
            // Written in two parts, so a payload can straddle a buffer's growth.
            var half = bytes / 2;
            writer.GetSpan(half)[..half].Fill((byte)chunkIndex);
            writer.Advance(half);
            writer.GetSpan(bytes - half)[..(bytes - half)].Fill((byte)chunkIndex);
            writer.Advance(bytes - half);
        }

        public IJobMerger CreateMerger() => new NoMerger();
    }

    private sealed class NoMerger : IJobMerger
    {
        public void Merge(long chunkIndex, ReadOnlySpan<byte> output)
        {
        }

        public JobOutput Complete() => JobOutput.FromJson("{}");
    }
}
