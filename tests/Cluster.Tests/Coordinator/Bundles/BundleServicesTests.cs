using Cluster.Coordinator.Bundles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cluster.Tests.Coordinator.Bundles;

public sealed class BundleServicesTests
{
    [Theory]
    [InlineData("/srv/cluster", null, "/srv/cluster/bundles")]
    [InlineData("/srv/cluster", "/var/bundles", "/var/bundles")]
    [InlineData(null, null, "")]
    public void AddBundles_DataDirAndBundleDirectory_BundlesBesideTheJournalUnlessAFolderIsSet(string? dataDir, string? bundleDirectory, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Coordinator:DataDir"] = dataDir,
            ["Coordinator:BundleDirectory"] = bundleDirectory,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Where(s => s.Value is not null)).Build();
        var services = new ServiceCollection();
        services.AddOptions<Cluster.Coordinator.Hosting.CoordinatorOptions>().Bind(configuration.GetSection("Coordinator"));
        services.AddBundles(configuration);
        using var provider = services.BuildServiceProvider();

        Assert.Equal(expected, provider.GetRequiredService<IOptions<BundleOptions>>().Value.BundleDirectory);
    }
}
