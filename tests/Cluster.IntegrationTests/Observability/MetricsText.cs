using System.Globalization;

namespace Cluster.IntegrationTests.Observability;

/// <summary>Reads samples out of a Prometheus text exposition, for assertions.</summary>
internal static class MetricsText
{
    /// <summary>
    /// The value of the one sample of <paramref name="name"/> whose labels include every one of <paramref name="labels"/>
    /// (written <c>key="value"</c>); fails when there is none or more than one.
    /// </summary>
    public static double Value(string text, string name, params string[] labels)
    {
        var samples = text.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            .Where(line => labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            .ToList();
        Assert.True(samples.Count == 1, $"expected one sample of {name} with {string.Join(",", labels)}, found {samples.Count}:\n{string.Join('\n', samples)}");
        var line = samples[0];
        var end = line.LastIndexOf('}') + 1;
        var value = line[end..].Trim().Split(' ')[0];
        return double.Parse(value, CultureInfo.InvariantCulture);
    }
}
