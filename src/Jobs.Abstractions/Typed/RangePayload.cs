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

    /// <summary>
    /// Reads the chunk's bytes from <paramref name="input"/> into a buffer rented from <see cref="ArrayPool{T}.Shared"/>
    /// (multi-MiB blocks would otherwise cost a large-object allocation, zeroed, each); returns where they start. The
    /// caller gives <paramref name="data"/> back with <see cref="Return"/> once the chunk ran.
    /// </summary>
    /// <exception cref="InvalidDataException">The payload is not a range, or the input is not as long as the range says.</exception>
    public static long ReadChunk(ReadOnlySpan<byte> payload, IJobInput input, out byte[] data, out int length)
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
            range = LineRanges.AlignWithin(input, range, maxLineChunkBytes);
        }

        length = (int)range.Length;
        data = length == 0 ? [] : ArrayPool<byte>.Shared.Rent(length);
        try
        {
            LineRanges.ReadExactly(input, range.Start, data.AsSpan(0, length));
        }
        catch
        {
            Return(data);
            throw;
        }

        return range.Start;
    }

    /// <summary>Gives back a buffer <see cref="ReadChunk"/> rented.</summary>
    public static void Return(byte[] data)
    {
        if (data.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(data);
        }
    }
}
