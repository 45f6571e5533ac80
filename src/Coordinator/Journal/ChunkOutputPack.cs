using System.Buffers;
using System.Buffers.Binary;
using Cluster.Coordinator.Jobs;

namespace Cluster.Coordinator.Journal;

/// <summary>
/// The merged outputs of one job's chunks from one group commit, in one <c>chunk_outputs</c> row whose chunk column is
/// <see cref="Marker"/>: each output as its chunk index (8 bytes, little-endian), its length (4 bytes) and its bytes, in
/// merge order. Rows with a chunk index of 0 or more hold one output each (journals written before packs).
/// </summary>
internal static class ChunkOutputPack
{
    /// <summary>The chunk column of a packed row.</summary>
    public const long Marker = -1;

    /// <summary>A pack is written once it holds this many bytes, so a commit of large outputs makes rows of bounded size.</summary>
    public const int MaxBytes = 1 << 20;

    private const int HeaderBytes = 12;

    public static void Append(IBufferWriter<byte> pack, long chunk, ReadOnlySpan<byte> output)
    {
        var span = pack.GetSpan(HeaderBytes + output.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span, chunk);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], output.Length);
        output.CopyTo(span[HeaderBytes..]);
        pack.Advance(HeaderBytes + output.Length);
    }

    /// <summary>Replays each output of a pack into <paramref name="job"/>, in merge order.</summary>
    /// <exception cref="InvalidDataException">The pack is cut short or its lengths do not add up.</exception>
    public static void Replay(ReadOnlySpan<byte> pack, Job job)
    {
        while (!pack.IsEmpty)
        {
            if (pack.Length < HeaderBytes)
            {
                throw new InvalidDataException($"A packed row of chunk outputs ends {pack.Length} bytes into an entry's 12-byte header.");
            }

            var chunk = BinaryPrimitives.ReadInt64LittleEndian(pack);
            var length = BinaryPrimitives.ReadInt32LittleEndian(pack[8..]);
            if (length < 0 || length > pack.Length - HeaderBytes)
            {
                throw new InvalidDataException($"A packed row of chunk outputs names {length} bytes for chunk {chunk}, but {pack.Length - HeaderBytes} remain.");
            }

            job.Replay(chunk, pack.Slice(HeaderBytes, length));
            pack = pack[(HeaderBytes + length)..];
        }
    }
}
