using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Cluster.Jobs.Splitting;

namespace Cluster.Jobs.Typed;

/// <summary>Fixed little-endian encodings of the small shapes most chunks carry.</summary>
internal static class BinaryCodecs
{
    public static object? For(Type type) =>
        type == typeof(long) ? new Int64Codec()
        : type == typeof(int) ? new Int32Codec()
        : type == typeof(double) ? new DoubleCodec()
        : type == typeof(bool) ? new BoolCodec()
        : type == typeof(string) ? new StringCodec()
        : type == typeof(byte[]) ? new BytesCodec()
        : type == typeof(LongRange) ? new RangeCodec()
        : null;

    private static ReadOnlySpan<byte> Exactly(ReadOnlySpan<byte> data, int length, string what) =>
        data.Length == length ? data : throw new InvalidDataException($"A {what} takes {length} bytes, not {data.Length}.");

    private sealed class Int64Codec : ChunkCodec<long>
    {
        public override void Write(long value, IBufferWriter<byte> writer)
        {
            BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), value);
            writer.Advance(8);
        }

        public override long Read(ReadOnlySpan<byte> data) => BinaryPrimitives.ReadInt64LittleEndian(Exactly(data, 8, "long"));
    }

    private sealed class Int32Codec : ChunkCodec<int>
    {
        public override void Write(int value, IBufferWriter<byte> writer)
        {
            BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(4), value);
            writer.Advance(4);
        }

        public override int Read(ReadOnlySpan<byte> data) => BinaryPrimitives.ReadInt32LittleEndian(Exactly(data, 4, "int"));
    }

    private sealed class DoubleCodec : ChunkCodec<double>
    {
        public override void Write(double value, IBufferWriter<byte> writer)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(writer.GetSpan(8), value);
            writer.Advance(8);
        }

        public override double Read(ReadOnlySpan<byte> data) => BinaryPrimitives.ReadDoubleLittleEndian(Exactly(data, 8, "double"));
    }

    private sealed class BoolCodec : ChunkCodec<bool>
    {
        public override void Write(bool value, IBufferWriter<byte> writer)
        {
            writer.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
            writer.Advance(1);
        }

        public override bool Read(ReadOnlySpan<byte> data) => Exactly(data, 1, "bool")[0] switch
        {
            0 => false,
            1 => true,
            var other => throw new InvalidDataException($"A bool is 0 or 1, not {other}."),
        };
    }

    private sealed class StringCodec : ChunkCodec<string>
    {
        private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public override void Write(string value, IBufferWriter<byte> writer)
        {
            ArgumentNullException.ThrowIfNull(value);
            Strict.GetBytes(value, writer);
        }

        public override string Read(ReadOnlySpan<byte> data)
        {
            try
            {
                return Strict.GetString(data);
            }
            catch (DecoderFallbackException e)
            {
                throw new InvalidDataException("A string is not valid UTF-8.", e);
            }
        }
    }

    private sealed class BytesCodec : ChunkCodec<byte[]>
    {
        public override void Write(byte[] value, IBufferWriter<byte> writer)
        {
            ArgumentNullException.ThrowIfNull(value);
            writer.Write(value);
        }

        public override byte[] Read(ReadOnlySpan<byte> data) => data.ToArray();
    }

    private sealed class RangeCodec : ChunkCodec<LongRange>
    {
        public override void Write(LongRange value, IBufferWriter<byte> writer)
        {
            var span = writer.GetSpan(16);
            BinaryPrimitives.WriteInt64LittleEndian(span, value.Start);
            BinaryPrimitives.WriteInt64LittleEndian(span[8..], value.End);
            writer.Advance(16);
        }

        public override LongRange Read(ReadOnlySpan<byte> data)
        {
            data = Exactly(data, 16, "range");
            var range = new LongRange(BinaryPrimitives.ReadInt64LittleEndian(data), BinaryPrimitives.ReadInt64LittleEndian(data[8..]));
            return range.End >= range.Start ? range : throw new InvalidDataException($"A range is reversed: [{range.Start}, {range.End}).");
        }
    }
}
