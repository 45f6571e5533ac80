namespace Cluster.Jobs.BuiltIn.Mandelbrot;

/// <summary>
/// Escape-time rendering of the Mandelbrot set into 8-bit gray. Plain IEEE double arithmetic in a fixed order, so
/// every machine and every chunking produces the same bytes.
/// </summary>
public static class MandelbrotRenderer
{
    /// <summary>Renders rows [<paramref name="firstRow"/>, <paramref name="endRow"/>) into <paramref name="pixels"/>, one byte per pixel, row after row.</summary>
    public static void RenderRows(MandelbrotView view, int firstRow, int endRow, Span<byte> pixels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(endRow, view.Height);
        ArgumentOutOfRangeException.ThrowIfLessThan(pixels.Length, (long)(endRow - firstRow) * view.Width);
        var width = view.Width;
        for (var row = firstRow; row < endRow; row++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cy = view.Imaginary(row);
            var line = pixels.Slice((row - firstRow) * width, width);
            for (var column = 0; column < width; column++)
            {
                line[column] = Shade(EscapeIteration(view.Real(column), cy, view.MaxIterations), view.MaxIterations);
            }
        }
    }

    /// <summary>
    /// The first n in 1..<paramref name="maxIterations"/> with |z_n|² &gt; 4, where z_0 = 0 and z_(k+1) = z_k² + c;
    /// or 0 when the orbit stays bounded that long.
    /// </summary>
    public static int EscapeIteration(double cx, double cy, int maxIterations)
    {
        double zx = 0, zy = 0, x2 = 0, y2 = 0;
        for (var n = 1; n <= maxIterations; n++)
        {
            zy = (2 * zx * zy) + cy;
            zx = x2 - y2 + cx;
            x2 = zx * zx;
            y2 = zy * zy;
            if (x2 + y2 > 4)
            {
                return n;
            }
        }

        return 0;
    }

    /// <summary>Gray level of a pixel: 0 (black) inside the set; points that escape sooner are brighter (255 down to 1).</summary>
    public static byte Shade(int escapeIteration, int maxIterations) =>
        escapeIteration == 0 ? (byte)0 : (byte)(255 - ((long)(escapeIteration - 1) * 254 / maxIterations));
}
