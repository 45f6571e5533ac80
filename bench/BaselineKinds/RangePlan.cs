using System.Buffers;
using Cluster.Jobs;

namespace Cluster.Bench.BaselineKinds;

/// <summary>
/// A plan whose chunks are contiguous ranges of a unit (numbers, samples, rows): the payload is the range itself,
/// shifted by <paramref name="origin"/>, so planning costs nothing per chunk.
/// </summary>
internal sealed class RangePlan(ChunkLayout layout, long origin, Func<IJobMerger> createMerger) : IJobPlan
{
    public long ChunkCount => layout.Count;

    public void WritePayload(long chunkIndex, IBufferWriter<byte> writer)
    {
        var (start, end) = layout.Range(chunkIndex);
        RangeCodec.WriteRange(writer, origin + start, origin + end);
    }

    public IJobMerger CreateMerger() => createMerger();
}
