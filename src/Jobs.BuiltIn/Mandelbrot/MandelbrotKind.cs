using System.ComponentModel;
using System.Globalization;
using Cluster.Jobs.BuiltIn.Common;
using Cluster.Jobs.Splitting;
using Cluster.Jobs.Typed;

namespace Cluster.Jobs.BuiltIn.Mandelbrot;

/// <summary>The parameters of <see cref="MandelbrotKind"/>.</summary>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="MaxIter">Iterations before a point counts as inside.</param>
/// <param name="CenterX">Real part at the image centre.</param>
/// <param name="CenterY">Imaginary part at the image centre.</param>
/// <param name="Scale">Width of the view in the complex plane.</param>
public sealed record MandelbrotParameters(
    [Description("Image width in pixels")][Range(1, 16384)] int Width,
    [Description("Image height in pixels")][Range(1, 16384)] int Height,
    [Description("Iterations before a point counts as inside")][Range(1, 100_000)] int MaxIter = 256,
    [Description("Real part at the image centre")] double CenterX = -0.5,
    [Description("Imaginary part at the image centre")] double CenterY = 0.0,
    [Description("Width of the view in the complex plane (> 0)")] double Scale = 3.0)
{
    /// <summary>The view these parameters describe.</summary>
    public MandelbrotView View => new(Width, Height, MaxIter, CenterX, CenterY, Scale);
}

/// <summary>Renders the Mandelbrot set to a grayscale PNG; chunks are bands of rows, each returning its pixels.</summary>
public sealed class MandelbrotKind : JobKind<MandelbrotParameters, LongRange, MandelbrotBand, MandelbrotImage>
{
    /// <summary>The largest image accepted: the merger holds every pixel in memory.</summary>
    public const long MaxPixels = 100_000_000;

    /// <inheritdoc />
    public override string Name => "mandelbrot";

    /// <inheritdoc />
    public override string Description => "Renders the Mandelbrot set to an 8-bit grayscale PNG.";

    /// <inheritdoc />
    protected override ChunkCodec<MandelbrotBand> ChunkResultCodec => MandelbrotBand.Codec;

    /// <inheritdoc />
    protected override void Validate(MandelbrotParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if ((long)parameters.Width * parameters.Height > MaxPixels)
        {
            throw new JobParameterException(
                "height",
                string.Create(CultureInfo.InvariantCulture, $"makes {(long)parameters.Width * parameters.Height} pixels with width {parameters.Width}; at most {MaxPixels} are allowed"));
        }

        if (!(parameters.Scale > 0))
        {
            throw new JobParameterException("scale", string.Create(CultureInfo.InvariantCulture, $"must be greater than 0 (got {parameters.Scale})"));
        }
    }

    /// <inheritdoc />
    protected override Splitter<LongRange> Split(MandelbrotParameters parameters, JobPlanContext context)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        return new LayoutRanges(context.Chunking.SplitCapped(parameters.Height, Math.Max(1, InputSlice.MaxBytes / parameters.Width), "rows"));
    }

    /// <inheritdoc />
    protected override MandelbrotBand Execute(MandelbrotParameters parameters, LongRange chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (chunk.Start < 0 || chunk.End > parameters.Height || chunk.Length < 1)
        {
            throw new InvalidDataException($"Rows [{chunk.Start}, {chunk.End}) lie outside an image of {parameters.Height} rows.");
        }

        var pixels = new byte[chunk.Length * parameters.Width];
        MandelbrotRenderer.RenderRows(parameters.View, (int)chunk.Start, (int)chunk.End, pixels, cancellationToken);
        return new MandelbrotBand((int)chunk.Start, pixels);
    }

    /// <inheritdoc />
    protected override MandelbrotImage Empty(MandelbrotParameters parameters, PlanShape shape) => new(parameters.View);

    /// <inheritdoc />
    protected override MandelbrotImage Merge(MandelbrotImage total, long chunkIndex, MandelbrotBand chunkResult)
    {
        total.Add(chunkIndex, chunkResult);
        return total;
    }

    /// <inheritdoc />
    protected override JobOutput ToOutput(MandelbrotImage result) => result.ToOutput();

    private sealed class LayoutRanges(ChunkLayout layout) : Splitter<LongRange>
    {
        public override long ChunkCount => layout.Count;

        public override LongRange GetChunk(long index)
        {
            var (start, end) = layout.Range(index);
            return new LongRange(start, end);
        }
    }
}
