using System.Text.Json.Nodes;
using Cluster.IntegrationTests.Infrastructure;

namespace Cluster.IntegrationTests.Examples;

/// <summary>
/// examples/option-pricing run as its README says, with one command on an embedded cluster. With the assets perfectly
/// correlated the basket is one asset, whose call has a closed form (Black–Scholes): every grid point must be within
/// four standard errors of it.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class OptionPricingTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The job's parameters: three perfectly correlated assets, a 4 × 3 grid.</summary>
    internal static readonly string[] Arguments =
    [
        "--chunks", "16", "--paths", "400000", "--assets", "3", "--correlation", "1", "--spot", "100", "--rate", "0.03", "--maturity", "0.5",
        "--vol-min", "0.1", "--vol-max", "0.4", "--vol-steps", "4", "--strike-min", "90", "--strike-max", "110", "--strike-steps", "3",
    ];

    [Fact]
    public async Task BasketPricing_PerfectlyCorrelated_EveryGridPointWithinFourStandardErrorsOfBlackScholes()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(RunTimeout, ["submit", "basket-pricing", "--jobs", Executables.OptionPricing, "--json", .. Arguments]);

        Assert.True(code == 0, $"cluster submit exited with {code}: {stderr}");
        AssertMatchesBlackScholes(JsonNode.Parse(stdout)!["result"]!);
    }

    /// <summary>Checks the result of a job run with <see cref="Arguments"/>: every grid point within four standard errors of Black–Scholes.</summary>
    internal static void AssertMatchesBlackScholes(JsonNode result)
    {
        var volatilities = result["volatilities"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var strikes = result["strikes"]!.AsArray().Select(k => k!.GetValue<double>()).ToArray();
        Assert.Equal([0.1, 0.2, 0.3, 0.4], volatilities, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal([90.0, 100.0, 110.0], strikes, (a, b) => Math.Abs(a - b) < 1e-12);
        for (var v = 0; v < volatilities.Length; v++)
        {
            for (var k = 0; k < strikes.Length; k++)
            {
                var price = result["prices"]![v]![k]!.GetValue<double>();
                var error = result["standardErrors"]![v]![k]!.GetValue<double>();
                var exact = BlackScholesCall(100, strikes[k], 0.03, 0.5, volatilities[v]);
                Assert.InRange(error, 1e-4, 0.1);
                Assert.True(Math.Abs(price - exact) < 4 * error, $"vol {volatilities[v]}, strike {strikes[k]}: {price} ± {error}, Black–Scholes {exact}");
            }
        }
    }

    private static double BlackScholesCall(double spot, double strike, double rate, double maturity, double volatility)
    {
        var d1 = (Math.Log(spot / strike) + ((rate + (volatility * volatility / 2)) * maturity)) / (volatility * Math.Sqrt(maturity));
        var d2 = d1 - (volatility * Math.Sqrt(maturity));
        return (spot * NormalCdf(d1)) - (strike * Math.Exp(-rate * maturity) * NormalCdf(d2));
    }

    /// <summary>The standard normal distribution function, from the complementary error function (Numerical Recipes' erfcc, a Chebyshev fit with fractional error below 1.2e-7).</summary>
    private static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + (0.5 * z));
        var r = t * Math.Exp((-z * z) - 1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806 + (t * (0.27886807
            + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277))))))))))))))))));
        return x >= 0 ? r : 2 - r;
    }
}
