using System.Buffers;
using System.Buffers.Binary;

namespace Cluster.Bench.BaselineKinds;

/// <summary>Little-endian encodings of the small fixed-size payloads and outputs the range kinds exchange.</summary>
internal static class RangeCodec
{
    /// <summary>Size of an encoded range.</summary>
    public const int RangeBytes = 16;

    /// <summary>Size of an encoded count.</summary>
    public const int CountBytes = 8;

    public static void WriteRange(IBufferWriter<byte> writer, long start, long end)
    {
        var span = writer.GetSpan(RangeBytes);
        BinaryPrimitives.WriteInt64LittleEndian(span, start);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], end);
        writer.Advance(RangeBytes);
    }

    public static (long Start, long End) ReadRange(ReadOnlySpan<byte> payload)
    {
        if (payload.Length != RangeBytes)
        {
            throw new InvalidDataException($"A range payload has {RangeBytes} bytes, not {payload.Length}.");
        }

        var start = BinaryPrimitives.ReadInt64LittleEndian(payload);
        var end = BinaryPrimitives.ReadInt64LittleEndian(payload[8..]);
        return start <= end ? (start, end) : throw new InvalidDataException($"A range payload is reversed: [{start}, {end}).");
    }

    public static void WriteCount(IBufferWriter<byte> writer, long count)
    {
        BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(CountBytes), count);
        writer.Advance(CountBytes);
    }

    public static long ReadCount(ReadOnlySpan<byte> output) =>
        output.Length == CountBytes
            ? BinaryPrimitives.ReadInt64LittleEndian(output)
            : throw new InvalidDataException($"A count output has {CountBytes} bytes, not {output.Length}.");
}
