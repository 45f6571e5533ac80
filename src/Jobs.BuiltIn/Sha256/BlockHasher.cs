using System.Security.Cryptography;

namespace Cluster.Jobs.BuiltIn.Sha256;

/// <summary>The sha256 kind's kernel: one SHA-256 per block, and a root digest over the block digests.</summary>
public static class BlockHasher
{
    /// <summary>Size of one digest.</summary>
    public const int DigestBytes = SHA256.HashSizeInBytes;

    /// <summary>Writes the SHA-256 of <paramref name="block"/> into <paramref name="digest"/> (32 bytes).</summary>
    public static void HashBlock(ReadOnlySpan<byte> block, Span<byte> digest) => SHA256.HashData(block, digest);

    /// <summary>The root digest: SHA-256 over the block digests concatenated in block order.</summary>
    public static byte[] Root(ReadOnlySpan<byte> concatenatedDigests) => SHA256.HashData(concatenatedDigests);
}
