using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Text;
using Cluster.Jobs;
using Cluster.Jobs.BuiltIn.Mandelbrot;
using Cluster.Jobs.InProcess;
using static Cluster.Tests.Jobs.BuiltIn.KindHarness;

namespace Cluster.Tests.Jobs.BuiltIn;

public sealed class MandelbrotKindTests
{
    private const int Width = 121;
    private const int Height = 81;
    private const int MaxIter = 200;

    private readonly MandelbrotKind _kind = new();

    [Fact]
    public void Run_DifferentChunkings_ByteIdenticalPng()
    {
        var pngs = Chunkings(chunkSize: 10).Select(o => Run(_kind, DefaultView(), o).Data.ToArray()).ToList();

        Assert.All(pngs, png => Assert.Equal(pngs[0], png));
    }

    [Fact]
    public void Run_DecodedPng_EveryPixelMatchesSequentialEscapeTime()
    {
        var output = Run(_kind, DefaultView(), new InProcessRunOptions { Threads = 2, Chunks = 9 });

        var (width, height, pixels) = DecodeGray8Png(output.Data.ToArray());

        Assert.Equal("image/png", output.ContentType);
        Assert.Equal((Width, Height), (width, height));
        var mismatches = 0;
        for (var row = 0; row < Height; row++)
        {
            for (var column = 0; column < Width; column++)
            {
                mismatches += pixels[(row * Width) + column] == ExpectedGray(column, row, -0.5, 0, 3.0) ? 0 : 1;
            }
        }

        Assert.Equal(0, mismatches);
        Assert.Contains(pixels, p => p != 0);
    }

    [Fact]
    public void Run_CentreInsideSet_IsBlack()
    {
        var (_, _, pixels) = DecodeGray8Png(Run(_kind, DefaultView()).Data.ToArray());

        // Odd width and height put pixel ((W-1)/2, (H-1)/2) exactly on the centre, c = -0.5 + 0i.
        Assert.Equal(0, pixels[(((Height - 1) / 2) * Width) + ((Width - 1) / 2)]);
    }

    [Fact]
    public void Run_Summary_DescribesThePng()
    {
        var output = Run(_kind, DefaultView());
        var summary = Summary(output);

        Assert.Equal(Width, summary.GetProperty("width").GetInt32());
        Assert.Equal(Height, summary.GetProperty("height").GetInt32());
        Assert.Equal(MaxIter, summary.GetProperty("maxIter").GetInt32());
        Assert.Equal(output.Data.Length, summary.GetProperty("pngBytes").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(output.Data.Span)), summary.GetProperty("sha256").GetString());
    }

    [Theory]
    [InlineData("width", 0L)]
    [InlineData("width", 16_385L)]
    [InlineData("height", 0L)]
    [InlineData("max-iter", 0L)]
    [InlineData("max-iter", 100_001L)]
    public void Plan_OutOfRange_ThrowsNamingField(string field, long value)
    {
        var parameters = DefaultView();
        parameters[field] = value;

        Assert.Equal(field, Rejects(_kind, parameters).Field);
    }

    [Fact]
    public void Plan_NonPositiveScale_ThrowsNamingScale()
    {
        var parameters = DefaultView();
        parameters["scale"] = 0.0;

        Assert.Equal("scale", Rejects(_kind, parameters).Field);
    }

    [Fact]
    public void Plan_TooManyPixels_ThrowsNamingHeight()
    {
        Assert.Equal("height", Rejects(_kind, Params(("width", 16_384L), ("height", 16_384L))).Field);
    }

    [Fact]
    public void Plan_OneChunkForLargeImage_ThrowsNamingChunks()
    {
        var parameters = Params(("width", 16_384L), ("height", 4_096L));

        Assert.Equal("chunks", Rejects(_kind, parameters, new InProcessRunOptions { Chunks = 1 }).Field);
    }

    [Fact]
    public void Plan_LargeImageWithDefaultChunking_SplitsIntoBandsOfAtMost16MiB()
    {
        var parameters = JobParameters.Bind(_kind.Parameters, Params(("width", 16_384L), ("height", 4_096L)));

        var plan = _kind.Plan(new JobPlanContext(parameters, null, new ChunkingRequest(0, 0, 1, 0)));

        // 16384 x 4096 bytes is 64 MiB: four bands of 16 MiB.
        Assert.Equal(4, plan.ChunkCount);
    }

    private static Dictionary<string, object> DefaultView() => Params(("width", (long)Width), ("height", (long)Height), ("max-iter", (long)MaxIter));

    // The kind's documented mapping, computed here with System.Numerics.Complex, pixel by pixel.
    private static byte ExpectedGray(int column, int row, double centerX, double centerY, double scale)
    {
        var pixel = scale / Width;
        var c = new Complex(centerX + ((column - ((Width - 1) / 2.0)) * pixel), centerY - ((row - ((Height - 1) / 2.0)) * pixel));
        var z = Complex.Zero;
        for (var n = 1; n <= MaxIter; n++)
        {
            z = (z * z) + c;
            if ((z.Real * z.Real) + (z.Imaginary * z.Imaginary) > 4)
            {
                return (byte)(255 - ((n - 1) * 254 / MaxIter));
            }
        }

        return 0;
    }

    private static (int Width, int Height, byte[] Pixels) DecodeGray8Png(byte[] png)
    {
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        int width = 0, height = 0;
        var idat = new MemoryStream();
        var at = 8;
        var sawEnd = false;
        while (!sawEnd)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            Assert.Equal(BitwiseCrc32(png.AsSpan(at + 4, length + 4)), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length)));
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    Assert.Equal([8, 0, 0, 0, 0], data[8..].ToArray());
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
                case "IEND":
                    sawEnd = true;
                    break;
            }

            at += 12 + length;
        }

        Assert.Equal(png.Length, at);
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var filtered = raw.ToArray();
        Assert.Equal((width + 1) * height, filtered.Length);
        var pixels = new byte[width * height];
        for (var row = 0; row < height; row++)
        {
            Assert.Equal(0, filtered[row * (width + 1)]);
            filtered.AsSpan((row * (width + 1)) + 1, width).CopyTo(pixels.AsSpan(row * width));
        }

        return (width, height, pixels);
    }

    private static uint BitwiseCrc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
            }
        }

        return ~crc;
    }
}
