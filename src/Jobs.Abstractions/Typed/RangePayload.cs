using System.Buffers;
using System.Buffers.Binary;
using Cluster.Jobs.Splitting;

namespace Cluster.Jobs.Typed;

/// <summary>
/// The payload of an input chunk read by reference: its byte range, and whether the worker moves it to line starts
/// (the most bytes its lines may come to) or reads it exactly (0).
/// </summary>
internal static class RangePayload
{
    private const int Bytes = 8 + 8 + 4;

    public static void Write(IBufferWriter<byte> writer, LongRange range, int maxLineChunkBytes)
    {
        var span = writer.GetSpan(Bytes);
        BinaryPrimitives.WriteInt64LittleEndian(span, range.Start);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], range.End);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], maxLineChunkBytes);
        writer.Advance(Bytes);
    }

    /// <summary>Reads the chunk's bytes from <paramref name="input"/>; returns where they start.</summary>
    /// <exception cref="InvalidDataException">The payload is not a range, or the input is not as long as the range says.</exception>
    public static long ReadChunk(ReadOnlySpan<byte> payload, IJobInput input, out byte[] data)
    {
        if (payload.Length != Bytes)
        {
            throw new InvalidDataException($"An input chunk read by reference has a {payload.Length}-byte payload, not a {Bytes}-byte range.");
        }

        var range = new LongRange(BinaryPrimitives.ReadInt64LittleEndian(payload), BinaryPrimitives.ReadInt64LittleEndian(payload[8..]));
        var maxLineChunkBytes = BinaryPrimitives.ReadInt32LittleEndian(payload[16..]);
        if (range.Start < 0 || range.End < range.Start || range.End - range.Start > int.MaxValue)
        {
            throw new InvalidDataException($"An input chunk read by reference names bytes [{range.Start}, {range.End}), not a range.");
        }

        if (range.End > input.Length)
        {
            throw new InvalidDataException($"The input is {input.Length} bytes long, but the job was planned for at least {range.End}: it changed after the job was submitted.");
        }

        if (maxLineChunkBytes > 0)
        {
            return LineRanges.Read(input, range, maxLineChunkBytes, out data);
        }

        data = new byte[range.Length];
        LineRanges.ReadExactly(input, range.Start, data);
        return range.Start;
    }
}
