using Cluster.Jobs;

namespace Cluster.Tests.Jobs;

public sealed class JobParametersTests
{
    private static readonly ParameterSpec[] Specs =
    [
        ParameterSpec.Int("count", "How many.", defaultValue: 5) with { Minimum = 1L },
        ParameterSpec.Double("ratio", "A ratio.", defaultValue: 0.5) with { Minimum = 0.0, Maximum = 1.0 },
        ParameterSpec.Int("depth", "How deep.", defaultValue: 3) with { Maximum = 10L },
    ];

    [Theory]
    [InlineData("count", 0L, "count must be at least 1 (got 0)")]
    [InlineData("ratio", 1.5, "ratio must be between 0 and 1 (got 1.5)")]
    [InlineData("ratio", -1L, "ratio must be between 0 and 1 (got -1)")]
    [InlineData("depth", 11L, "depth must be at most 10 (got 11)")]
    public void Bind_OutsideBounds_RejectedNamingParameterAndRule(string name, object value, string message)
    {
        var error = Assert.Throws<JobParameterException>(() => JobParameters.Bind(Specs, new Dictionary<string, object> { [name] = value }));

        Assert.Equal((name, message), (error.Field, error.Message));
    }

    [Fact]
    public void Bind_AtTheBounds_Accepted()
    {
        var bound = JobParameters.Bind(Specs, new Dictionary<string, object> { ["count"] = 1L, ["ratio"] = 1L, ["depth"] = 10L });

        Assert.Equal((1L, 1.0, 10L), (bound.GetInt64("count"), bound.GetDouble("ratio"), bound.GetInt64("depth")));
    }

    [Fact]
    public void RangeText_RendersEachShapeOfBounds()
    {
        Assert.Equal([">= 1", "0..1", "<= 10"], Specs.Select(s => s.RangeText));
        Assert.Equal(string.Empty, ParameterSpec.Int("x", "X.").RangeText);
    }
}
