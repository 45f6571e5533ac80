using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Cluster.Jobs.BuiltIn.Mandelbrot;

/// <summary>Encodes 8-bit grayscale images as PNG: one IDAT, filter type 0 on every row, a fixed zlib level.</summary>
public static class PngEncoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes <paramref name="pixels"/> (<paramref name="width"/> × <paramref name="height"/> bytes, rows top to bottom).</summary>
    public static byte[] EncodeGray8(ReadOnlySpan<byte> pixels, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfNotEqual(pixels.Length, (long)width * height);

        var png = new MemoryStream();
        png.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = 0; // colour type: grayscale
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method 0
        header[12] = 0; // no interlace
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", Compress(pixels, width, height));
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> pixels, int width, int height)
    {
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            ReadOnlySpan<byte> filterNone = [0];
            for (var row = 0; row < height; row++)
            {
                zlib.Write(filterNone);
                zlib.Write(pixels.Slice(row * width, width));
            }
        }

        return compressed.GetBuffer().AsSpan(0, (int)compressed.Length);
    }

    private static void WriteChunk(MemoryStream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> field = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(field, data.Length);
        png.Write(field);

        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);
        png.Write(typeBytes);
        png.Write(data);

        var crc = Crc32.Append(Crc32.Append(uint.MaxValue, typeBytes), data) ^ uint.MaxValue;
        BinaryPrimitives.WriteUInt32BigEndian(field, crc);
        png.Write(field);
    }
}
