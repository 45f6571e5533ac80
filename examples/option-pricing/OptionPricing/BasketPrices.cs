using System.Text.Json.Serialization;

namespace Cluster.Examples.OptionPricing;

/// <summary>The job's result: the grid, and for each volatility (row) and strike (column) the price and its standard error.</summary>
/// <param name="Volatilities">The grid's volatilities.</param>
/// <param name="Strikes">The grid's strikes.</param>
/// <param name="Paths">Paths simulated.</param>
/// <param name="Prices">Discounted mean payoff, by volatility then strike.</param>
/// <param name="StandardErrors">Standard error of each price.</param>
public sealed record BasketPrices(double[] Volatilities, double[] Strikes, long Paths, double[][] Prices, double[][] StandardErrors)
{
    /// <summary>Each chunk's payoff sums while the job runs, added up in chunk order at the end so that the result is the same whatever order chunks finish in.</summary>
    [JsonIgnore]
    public double[]?[] ChunkSums { get; init; } = [];

    /// <summary>Evenly spaced points from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static double[] Grid(double min, double max, int steps) =>
        steps == 1 ? [min] : [.. Enumerable.Range(0, steps).Select(i => min + ((max - min) * i / (steps - 1)))];

    internal static BasketPrices Empty(BasketParameters parameters, long chunkCount) =>
        new(Grid(parameters.VolMin, parameters.VolMax, parameters.VolSteps), Grid(parameters.StrikeMin, parameters.StrikeMax, parameters.StrikeSteps), parameters.Paths, [], [])
        {
            ChunkSums = new double[]?[chunkCount],
        };

    internal BasketPrices Add(long chunkIndex, double[] sums)
    {
        if (sums.Length != 2 * Volatilities.Length * Strikes.Length)
        {
            throw new InvalidDataException($"Chunk {chunkIndex} returned {sums.Length} sums for a grid of {Volatilities.Length} x {Strikes.Length}.");
        }

        ChunkSums[chunkIndex] = sums;
        return this;
    }

    internal BasketPrices Finish(BasketParameters parameters)
    {
        var points = Volatilities.Length * Strikes.Length;
        var totals = new double[2 * points];
        foreach (var sums in ChunkSums)
        {
            for (var i = 0; i < totals.Length; i++)
            {
                totals[i] += sums![i];
            }
        }

        var discount = Math.Exp(-parameters.Rate * parameters.Maturity);
        var prices = new double[Volatilities.Length][];
        var errors = new double[Volatilities.Length][];
        for (var v = 0; v < Volatilities.Length; v++)
        {
            prices[v] = new double[Strikes.Length];
            errors[v] = new double[Strikes.Length];
            for (var k = 0; k < Strikes.Length; k++)
            {
                var point = (v * Strikes.Length) + k;
                var mean = totals[point] / Paths;
                var variance = Math.Max((totals[points + point] / Paths) - (mean * mean), 0);
                prices[v][k] = discount * mean;
                errors[v][k] = discount * Math.Sqrt(variance / Paths);
            }
        }

        return this with { Prices = prices, StandardErrors = errors, ChunkSums = [] };
    }
}
