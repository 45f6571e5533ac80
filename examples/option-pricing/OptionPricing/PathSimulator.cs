namespace Cluster.Examples.OptionPricing;

/// <summary>
/// Simulates paths [start, end) and sums, for every grid point, the basket call's payoff and its square. One step to
/// expiry is exact for a European payoff under geometric Brownian motion.
/// </summary>
internal sealed class PathSimulator(BasketParameters parameters)
{
    public double[] Run(long start, long end, CancellationToken cancellationToken)
    {
        var volatilities = BasketPrices.Grid(parameters.VolMin, parameters.VolMax, parameters.VolSteps);
        var strikes = BasketPrices.Grid(parameters.StrikeMin, parameters.StrikeMax, parameters.StrikeSteps);
        var points = volatilities.Length * strikes.Length;
        var sums = new double[2 * points];
        var shocks = new double[parameters.Assets];
        var sqrtT = Math.Sqrt(parameters.Maturity);
        var shared = Math.Sqrt(parameters.Correlation);
        var own = Math.Sqrt(1 - parameters.Correlation);
        for (var path = start; path < end; path++)
        {
            if ((path & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            // Equicorrelated normals: one factor every asset shares, and one of its own.
            var random = new PathRandom(parameters.Seed, path);
            var common = random.NextNormal();
            for (var i = 0; i < shocks.Length; i++)
            {
                shocks[i] = (shared * common) + (own * random.NextNormal());
            }

            for (var v = 0; v < volatilities.Length; v++)
            {
                var sigma = volatilities[v];
                var drift = (parameters.Rate - (0.5 * sigma * sigma)) * parameters.Maturity;
                double basket = 0;
                foreach (var shock in shocks)
                {
                    basket += Math.Exp(drift + (sigma * sqrtT * shock));
                }

                basket *= parameters.Spot / shocks.Length;
                for (var k = 0; k < strikes.Length; k++)
                {
                    var payoff = Math.Max(basket - strikes[k], 0);
                    var point = (v * strikes.Length) + k;
                    sums[point] += payoff;
                    sums[points + point] += payoff * payoff;
                }
            }
        }

        return sums;
    }
}
