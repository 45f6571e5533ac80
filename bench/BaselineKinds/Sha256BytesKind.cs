using System.Buffers;
using System.Globalization;
using Cluster.Jobs;
using Cluster.Jobs.BuiltIn.Sha256;

namespace Cluster.Bench.BaselineKinds;

/// <summary>Hashes the uploaded input block by block with SHA-256, plus a root digest over the block digests.</summary>
public sealed class Sha256BytesKind : IJobKind
{
    private const string SplitRule = "does not apply to sha256: it splits by block-size";

    // The merger keeps every block digest in one array; this keeps it under 512 MiB whatever the coordinator allows.
    private const long MaxBlocks = 1 << 24;

    /// <inheritdoc />
    public string Name => "sha256-bytes";

    /// <inheritdoc />
    public string Description => "SHA-256 of each block of the input, and a root digest over the block digests (byte-level baseline for cluster-bench).";

    /// <inheritdoc />
    public bool TakesInput => true;

    /// <inheritdoc />
    public IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        ParameterSpec.Int("block-size", "Bytes per block, one chunk each (1..16777216).", defaultValue: 4 * 1024 * 1024),
    ];

    /// <inheritdoc />
    public IJobPlan Plan(JobPlanContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ParameterRules.RejectChunks(context.Chunking, SplitRule);
        ParameterRules.RejectChunkSize(context.Chunking, SplitRule);
        var blockSize = (int)ParameterRules.IntInRange(context.Parameters, "block-size", 1, InputSlice.MaxBytes);
        var input = context.RequireInput();
        var layout = ChunkLayout.BySize(input.Length, blockSize);
        var maxBlocks = context.Chunking.MaxChunks > 0 ? Math.Min(MaxBlocks, context.Chunking.MaxChunks) : MaxBlocks;
        if (layout.Count > maxBlocks)
        {
            throw new JobParameterException(
                "block-size",
                string.Create(CultureInfo.InvariantCulture, $"splits the input into {layout.Count} blocks; at most {maxBlocks} are allowed here"));
        }

        return new BlockPlan(input, layout);
    }

    /// <inheritdoc />
    public IChunkExecutor CreateExecutor(JobParameters parameters) => new Executor();

    private sealed class BlockPlan(IJobInput input, ChunkLayout layout) : IJobPlan
    {
        public long ChunkCount => layout.Count;

        public void WritePayload(long chunkIndex, IBufferWriter<byte> writer)
        {
            var (start, end) = layout.Range(chunkIndex);
            InputSlice.Write(input, start, (int)(end - start), writer);
        }

        public IJobMerger CreateMerger() => new Merger(layout);
    }

    private sealed class Executor : IChunkExecutor
    {
        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken)
        {
            BlockHasher.HashBlock(payload, output.GetSpan(BlockHasher.DigestBytes));
            output.Advance(BlockHasher.DigestBytes);
        }
    }

    private sealed class Merger(ChunkLayout layout) : IJobMerger
    {
        private readonly byte[] _digests = new byte[layout.Count * BlockHasher.DigestBytes];

        public void Merge(long chunkIndex, ReadOnlySpan<byte> output)
        {
            if (output.Length != BlockHasher.DigestBytes)
            {
                throw new InvalidDataException($"Block {chunkIndex} returned {output.Length} bytes, not a {BlockHasher.DigestBytes}-byte digest.");
            }

            output.CopyTo(_digests.AsSpan(checked((int)chunkIndex * BlockHasher.DigestBytes)));
        }

        public JobOutput Complete() =>
            JobOutput.FromJson(SummaryJson.Write((layout, _digests), static (w, s) =>
            {
                w.WriteNumber("length", s.layout.Total);
                w.WriteNumber("blockSize", s.layout.Size);
                w.WriteNumber("blockCount", s.layout.Count);
                w.WriteStartArray("blocks");
                for (var i = 0; i < s._digests.Length; i += BlockHasher.DigestBytes)
                {
                    w.WriteStringValue(Convert.ToHexStringLower(s._digests.AsSpan(i, BlockHasher.DigestBytes)));
                }

                w.WriteEndArray();
                w.WriteString("root", Convert.ToHexStringLower(BlockHasher.Root(s._digests)));
            }));
    }
}
