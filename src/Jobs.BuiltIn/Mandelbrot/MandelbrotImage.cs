using System.Buffers;
using System.Buffers.Binary;
using Cluster.Jobs.BuiltIn.Common;
using Cluster.Jobs.Typed;

namespace Cluster.Jobs.BuiltIn.Mandelbrot;

/// <summary>One chunk's rows of the image: where they start, and their pixels, row after row.</summary>
/// <param name="FirstRow">The band's first row.</param>
/// <param name="Pixels">Its pixels, one byte each.</param>
public sealed record MandelbrotBand(int FirstRow, byte[] Pixels)
{
    /// <summary>The band on the wire: its first row (4 bytes, little-endian), then the pixels as they are.</summary>
    public static ChunkCodec<MandelbrotBand> Codec { get; } = new BandCodec();

    private sealed class BandCodec : ChunkCodec<MandelbrotBand>
    {
        public override void Write(MandelbrotBand value, IBufferWriter<byte> writer)
        {
            var span = writer.GetSpan(4 + value.Pixels.Length);
            BinaryPrimitives.WriteInt32LittleEndian(span, value.FirstRow);
            value.Pixels.CopyTo(span[4..]);
            writer.Advance(4 + value.Pixels.Length);
        }

        public override MandelbrotBand Read(ReadOnlySpan<byte> data) => data.Length >= 4
            ? new MandelbrotBand(BinaryPrimitives.ReadInt32LittleEndian(data), data[4..].ToArray())
            : throw new InvalidDataException($"A band of {data.Length} bytes is shorter than its 4-byte first row.");
    }
}

/// <summary>The image being merged: every band copied in place; its output is the PNG and a JSON summary.</summary>
/// <param name="view">The image's view.</param>
public sealed class MandelbrotImage(MandelbrotView view)
{
    private readonly byte[] _pixels = new byte[(long)view.Width * view.Height];

    /// <summary>Copies a chunk's band into the image.</summary>
    /// <exception cref="InvalidDataException">The band does not fit the image.</exception>
    public void Add(long chunkIndex, MandelbrotBand band)
    {
        ArgumentNullException.ThrowIfNull(band);
        var offset = (long)band.FirstRow * view.Width;
        if (band.FirstRow < 0 || band.Pixels.Length % view.Width != 0 || offset + band.Pixels.Length > _pixels.Length)
        {
            throw new InvalidDataException($"Chunk {chunkIndex} returned {band.Pixels.Length} bytes from row {band.FirstRow}, which do not fit a {view.Width} x {view.Height} image.");
        }

        band.Pixels.CopyTo(_pixels.AsSpan((int)offset));
    }

    /// <summary>The PNG, with a summary of its size and SHA-256.</summary>
    public JobOutput ToOutput()
    {
        var png = PngEncoder.EncodeGray8(_pixels, view.Width, view.Height);
        var json = SummaryJson.Write((view, png), static (w, s) =>
        {
            w.WriteNumber("width", s.view.Width);
            w.WriteNumber("height", s.view.Height);
            w.WriteNumber("maxIter", s.view.MaxIterations);
            w.WriteNumber("pngBytes", s.png.Length);
            w.WriteString("sha256", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(s.png)));
        });
        return new JobOutput(json, png, "image/png");
    }
}
