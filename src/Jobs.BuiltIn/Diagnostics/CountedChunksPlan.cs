using System.Buffers;
using Cluster.Jobs.BuiltIn.Common;

namespace Cluster.Jobs.BuiltIn.Diagnostics;

/// <summary>
/// The plan of the diagnostic kinds: a number of identical chunks with empty payloads and outputs, merged by counting.
/// Nothing here allocates per chunk, so the kinds measure the cluster's own overhead.
/// </summary>
internal sealed class CountedChunksPlan(long chunkCount, Func<long, JobOutput> complete) : IJobPlan
{
    public long ChunkCount => chunkCount;

    /// <summary>The requested chunk count, or the coordinator's default; chunk sizes mean nothing here.</summary>
    public static long ChunkCountFor(ChunkingRequest chunking, string kindName)
    {
        ParameterRules.RejectChunkSize(chunking, $"does not apply to {kindName}: its chunks have no size; give chunks instead");
        var count = chunking.RequestedChunks > 0 ? chunking.RequestedChunks : Math.Max(1, chunking.DefaultChunks);

        // Splitting count units into count chunks applies the coordinator's chunk limit, naming "chunks".
        return chunking.Split(count).Count;
    }

    public void WritePayload(long chunkIndex, IBufferWriter<byte> writer)
    {
    }

    public IJobMerger CreateMerger() => new Merger(complete);

    private sealed class Merger(Func<long, JobOutput> complete) : IJobMerger
    {
        private long _merged;

        public void Merge(long chunkIndex, ReadOnlySpan<byte> output)
        {
            if (!output.IsEmpty)
            {
                throw new InvalidDataException($"Chunk {chunkIndex} returned {output.Length} bytes; diagnostic chunks return none.");
            }

            _merged++;
        }

        public JobOutput Complete() => complete(_merged);
    }
}
