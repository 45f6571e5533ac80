using System.ComponentModel;
using Cluster.Jobs.Splitting;
using Cluster.Jobs.Typed;

namespace Cluster.Jobs.BuiltIn.Pi;

/// <summary>The parameters of <see cref="PiKind"/>.</summary>
/// <param name="Samples">Number of random points.</param>
/// <param name="Seed">Seed of the random stream.</param>
public sealed record PiParameters(
    [Description("Number of random points")][Range(1, long.MaxValue)] long Samples,
    [Description("Seed of the random stream; the same seed gives the same result")] long Seed = 0);

/// <summary>The result of <see cref="PiKind"/>.</summary>
/// <param name="Samples">Points drawn.</param>
/// <param name="Seed">Seed of the random stream.</param>
/// <param name="Inside">Points that fell inside the unit circle.</param>
public sealed record PiResult(long Samples, long Seed, long Inside)
{
    /// <summary>The estimate of π: four times the share of points inside.</summary>
    public double Estimate => 4.0 * Inside / Samples;
}

/// <summary>Estimates π by Monte Carlo sampling; reproducible for a seed whatever the chunking.</summary>
public sealed class PiKind : JobKind<PiParameters, LongRange, long, PiResult>
{
    /// <inheritdoc />
    public override string Name => "pi";

    /// <inheritdoc />
    public override string Description => "Estimates pi by Monte Carlo sampling of the unit square (reproducible per seed).";

    /// <inheritdoc />
    protected override Splitter<LongRange> Split(PiParameters parameters, JobPlanContext context) => Splitters.Range(context, 0, parameters.Samples);

    /// <inheritdoc />
    protected override long Execute(PiParameters parameters, LongRange chunk, CancellationToken cancellationToken) =>
        MonteCarloPi.CountInside(parameters.Seed, chunk.Start, chunk.End, cancellationToken);

    /// <inheritdoc />
    protected override PiResult Empty(PiParameters parameters, PlanShape shape) => new(parameters.Samples, parameters.Seed, 0);

    /// <inheritdoc />
    protected override PiResult Merge(PiResult total, long chunkIndex, long chunkResult) => total with { Inside = checked(total.Inside + chunkResult) };
}
