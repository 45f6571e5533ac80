using System.ComponentModel;
using Cluster.Jobs;
using Cluster.Jobs.Splitting;
using Cluster.Jobs.Typed;

namespace Cluster.Examples.OptionPricing;

/// <summary>
/// Prices a European call on the average of <see cref="BasketParameters.Assets"/> equally weighted, equally correlated
/// assets, by Monte Carlo, for every volatility and strike of a grid. Chunks are ranges of paths; path i always draws
/// the same numbers (<see cref="PathRandom"/>), so the prices do not depend on how the job is split or retried.
/// </summary>
public sealed class BasketPricingKind : JobKind<BasketParameters, LongRange, double[], BasketPrices>
{
    /// <inheritdoc />
    public override string Name => "basket-pricing";

    /// <inheritdoc />
    public override string Description => "Monte Carlo prices of a basket call over a grid of volatilities and strikes.";

    /// <inheritdoc />
    protected override void Validate(BasketParameters parameters)
    {
        if (parameters.VolMax < parameters.VolMin)
        {
            throw new JobParameterException("vol-max", "must be at least vol-min");
        }

        if (parameters.StrikeMax < parameters.StrikeMin)
        {
            throw new JobParameterException("strike-max", "must be at least strike-min");
        }
    }

    /// <inheritdoc />
    protected override Splitter<LongRange> Split(BasketParameters parameters, JobPlanContext context) => Splitters.Range(context, 0, parameters.Paths);

    /// <inheritdoc />
    protected override double[] Execute(BasketParameters parameters, LongRange chunk, CancellationToken cancellationToken) =>
        new PathSimulator(parameters).Run(chunk.Start, chunk.End, cancellationToken);

    /// <inheritdoc />
    protected override BasketPrices Empty(BasketParameters parameters, PlanShape shape) => BasketPrices.Empty(parameters, shape.ChunkCount);

    /// <inheritdoc />
    protected override BasketPrices Merge(BasketPrices total, long chunkIndex, double[] chunkResult) => total.Add(chunkIndex, chunkResult);

    /// <inheritdoc />
    protected override BasketPrices Complete(BasketParameters parameters, BasketPrices total) => total.Finish(parameters);
}

/// <summary>The basket, the market and the grid.</summary>
/// <param name="Paths">Simulated paths (each prices every grid point).</param>
/// <param name="Assets">Assets in the basket.</param>
/// <param name="Correlation">Correlation between any two assets.</param>
/// <param name="Spot">Every asset's price today.</param>
/// <param name="Rate">Risk-free rate, continuously compounded.</param>
/// <param name="Maturity">Years to expiry.</param>
/// <param name="VolMin">Lowest volatility of the grid.</param>
/// <param name="VolMax">Highest volatility of the grid.</param>
/// <param name="VolSteps">Volatilities in the grid.</param>
/// <param name="StrikeMin">Lowest strike of the grid.</param>
/// <param name="StrikeMax">Highest strike of the grid.</param>
/// <param name="StrikeSteps">Strikes in the grid.</param>
/// <param name="Seed">Seed of the random numbers.</param>
public sealed record BasketParameters(
    [Description("Simulated paths")][Range(1, 1_000_000_000_000)] long Paths = 1_000_000,
    [Description("Assets in the basket")][Range(1, 64)] int Assets = 4,
    [Description("Correlation between any two assets")][Range(0.0, 1.0)] double Correlation = 0.5,
    [Description("Price of each asset today")][Range(0.01, 1e9)] double Spot = 100,
    [Description("Risk-free rate")][Range(-1.0, 1.0)] double Rate = 0.02,
    [Description("Years to expiry")][Range(0.001, 100.0)] double Maturity = 1,
    [Description("Lowest volatility")][Range(0.001, 5.0)] double VolMin = 0.1,
    [Description("Highest volatility")][Range(0.001, 5.0)] double VolMax = 0.5,
    [Description("Volatilities in the grid")][Range(1, 100)] int VolSteps = 5,
    [Description("Lowest strike")][Range(0.0, 1e9)] double StrikeMin = 80,
    [Description("Highest strike")][Range(0.0, 1e9)] double StrikeMax = 120,
    [Description("Strikes in the grid")][Range(1, 100)] int StrikeSteps = 5,
    [Description("Seed of the random numbers")] long Seed = 1);
