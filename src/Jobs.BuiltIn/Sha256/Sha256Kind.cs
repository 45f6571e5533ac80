using System.ComponentModel;
using System.Text.Json.Serialization;
using Cluster.Jobs.BuiltIn.Common;
using Cluster.Jobs.Splitting;
using Cluster.Jobs.Typed;

namespace Cluster.Jobs.BuiltIn.Sha256;

/// <summary>The parameters of <see cref="Sha256Kind"/>.</summary>
/// <param name="BlockSize">Bytes per block.</param>
public sealed record Sha256Parameters(
    [Description("Bytes per block, one chunk each")][Range(1, InputSlice.MaxBytes)] long BlockSize = 4 * 1024 * 1024);

/// <summary>The result of <see cref="Sha256Kind"/>: the digest of each block, and the root digest over them.</summary>
/// <param name="Length">Bytes of input.</param>
/// <param name="BlockSize">Bytes per block.</param>
/// <param name="BlockCount">Blocks hashed.</param>
public sealed record Sha256Result(long Length, long BlockSize, long BlockCount)
{
    /// <summary>The block digests, concatenated in block order.</summary>
    [JsonIgnore]
    public byte[] Digests { get; } = new byte[BlockCount * BlockHasher.DigestBytes];

    /// <summary>Each block's digest, in hex.</summary>
    public IEnumerable<string> Blocks => Digests.Chunk(BlockHasher.DigestBytes).Select(Convert.ToHexStringLower);

    /// <summary>SHA-256 over the block digests concatenated in block order, in hex.</summary>
    public string Root => Convert.ToHexStringLower(BlockHasher.Root(Digests));
}

/// <summary>Hashes the uploaded input block by block with SHA-256, plus a root digest over the block digests.</summary>
public sealed class Sha256Kind : InputJobKind<Sha256Parameters, byte[], Sha256Result>
{
    private const string SplitRule = "does not apply to sha256: it splits by block-size";

    // The merger keeps every block digest in one array; this keeps it under 512 MiB whatever the coordinator allows.
    private const long MaxBlocks = 1 << 24;

    /// <inheritdoc />
    public override string Name => "sha256";

    /// <inheritdoc />
    public override string Description => "SHA-256 of each block of the input, and a root digest over the block digests.";

    /// <inheritdoc />
    protected override Splitter<LongRange> Split(Sha256Parameters parameters, JobPlanContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ParameterRules.RejectChunks(context.Chunking, SplitRule);
        ParameterRules.RejectChunkSize(context.Chunking, SplitRule);
        var max = context.Chunking.MaxChunks > 0 ? Math.Min(MaxBlocks, context.Chunking.MaxChunks) : MaxBlocks;
        return Splitters.Blocks(context with { Chunking = context.Chunking with { MaxChunks = max } }, parameters.BlockSize);
    }

    /// <inheritdoc />
    protected override byte[] Execute(Sha256Parameters parameters, InputChunk chunk, CancellationToken cancellationToken)
    {
        var digest = new byte[BlockHasher.DigestBytes];
        BlockHasher.HashBlock(chunk.Data, digest);
        return digest;
    }

    /// <inheritdoc />
    protected override Sha256Result Empty(Sha256Parameters parameters, PlanShape shape) => new(shape.InputLength, parameters.BlockSize, shape.ChunkCount);

    /// <inheritdoc />
    protected override Sha256Result Merge(Sha256Result total, long chunkIndex, byte[] chunkResult)
    {
        if (chunkResult.Length != BlockHasher.DigestBytes)
        {
            throw new InvalidDataException($"Block {chunkIndex} returned {chunkResult.Length} bytes, not a {BlockHasher.DigestBytes}-byte digest.");
        }

        chunkResult.CopyTo(total.Digests, checked((int)chunkIndex * BlockHasher.DigestBytes));
        return total;
    }
}
