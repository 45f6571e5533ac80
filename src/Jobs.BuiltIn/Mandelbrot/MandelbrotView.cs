namespace Cluster.Jobs.BuiltIn.Mandelbrot;

/// <summary>What to render: the image size, the iteration cap, and the window onto the complex plane.</summary>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="MaxIterations">Iterations after which a point counts as inside the set.</param>
/// <param name="CenterX">Real part at the image centre.</param>
/// <param name="CenterY">Imaginary part at the image centre.</param>
/// <param name="Scale">Width of the view in the complex plane; pixels are square.</param>
public sealed record MandelbrotView(int Width, int Height, int MaxIterations, double CenterX, double CenterY, double Scale)
{
    /// <summary>The real part of column <paramref name="column"/>'s pixel centre.</summary>
    public double Real(int column) => CenterX + ((column - ((Width - 1) / 2.0)) * (Scale / Width));

    /// <summary>The imaginary part of row <paramref name="row"/>'s pixel centre; row 0 is the top.</summary>
    public double Imaginary(int row) => CenterY - ((row - ((Height - 1) / 2.0)) * (Scale / Width));
}
