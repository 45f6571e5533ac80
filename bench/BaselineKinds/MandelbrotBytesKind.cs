using System.Buffers;
using System.Globalization;
using Cluster.Jobs;
using Cluster.Jobs.BuiltIn.Mandelbrot;

namespace Cluster.Bench.BaselineKinds;

/// <summary>Renders the Mandelbrot set to a grayscale PNG; chunks are bands of rows.</summary>
public sealed class MandelbrotBytesKind : IJobKind
{
    /// <summary>The largest image accepted: the merger holds every pixel in memory.</summary>
    public const long MaxPixels = 100_000_000;

    /// <inheritdoc />
    public string Name => "mandelbrot-bytes";

    /// <inheritdoc />
    public string Description => "Renders the Mandelbrot set to an 8-bit grayscale PNG (byte-level baseline for cluster-bench).";

    /// <inheritdoc />
    public IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        ParameterSpec.Int("width", "Image width in pixels (1..16384).", required: true),
        ParameterSpec.Int("height", "Image height in pixels (1..16384).", required: true),
        ParameterSpec.Int("max-iter", "Iterations before a point counts as inside (1..100000).", defaultValue: 256),
        ParameterSpec.Double("center-x", "Real part at the image centre.", defaultValue: -0.5),
        ParameterSpec.Double("center-y", "Imaginary part at the image centre.", defaultValue: 0.0),
        ParameterSpec.Double("scale", "Width of the view in the complex plane (> 0).", defaultValue: 3.0),
    ];

    /// <inheritdoc />
    public IJobPlan Plan(JobPlanContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var view = Validate(context.Parameters);
        var layout = context.Chunking.SplitCapped(view.Height, Math.Max(1, InputSlice.MaxBytes / view.Width), "rows");
        return new RangePlan(layout, 0, () => new Merger(view, layout));
    }

    /// <inheritdoc />
    public IChunkExecutor CreateExecutor(JobParameters parameters) => new Executor(Validate(parameters));

    private static MandelbrotView Validate(JobParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var width = (int)ParameterRules.IntInRange(parameters, "width", 1, 16384);
        var height = (int)ParameterRules.IntInRange(parameters, "height", 1, 16384);
        if ((long)width * height > MaxPixels)
        {
            throw new JobParameterException(
                "height",
                string.Create(CultureInfo.InvariantCulture, $"makes {(long)width * height} pixels with width {width}; at most {MaxPixels} are allowed"));
        }

        var maxIterations = (int)ParameterRules.IntInRange(parameters, "max-iter", 1, 100_000);
        var scale = parameters.GetDouble("scale");
        if (!(scale > 0))
        {
            throw new JobParameterException("scale", string.Create(CultureInfo.InvariantCulture, $"must be greater than 0 (got {scale})"));
        }

        return new MandelbrotView(width, height, maxIterations, parameters.GetDouble("center-x"), parameters.GetDouble("center-y"), scale);
    }

    private sealed class Executor(MandelbrotView view) : IChunkExecutor
    {
        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken)
        {
            var (start, end) = RangeCodec.ReadRange(payload);
            if (end > view.Height)
            {
                throw new InvalidDataException($"Rows [{start}, {end}) lie outside an image of {view.Height} rows.");
            }

            var length = (int)(end - start) * view.Width;
            MandelbrotRenderer.RenderRows(view, (int)start, (int)end, output.GetSpan(length), cancellationToken);
            output.Advance(length);
        }
    }

    private sealed class Merger(MandelbrotView view, ChunkLayout layout) : IJobMerger
    {
        private readonly byte[] _pixels = new byte[(long)view.Width * view.Height];

        public void Merge(long chunkIndex, ReadOnlySpan<byte> output)
        {
            var (start, end) = layout.Range(chunkIndex);
            var offset = (int)start * view.Width;
            var length = (int)(end - start) * view.Width;
            if (output.Length != length)
            {
                throw new InvalidDataException($"Chunk {chunkIndex} returned {output.Length} bytes for rows [{start}, {end}); expected {length}.");
            }

            output.CopyTo(_pixels.AsSpan(offset, length));
        }

        public JobOutput Complete()
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
}
