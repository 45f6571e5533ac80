using Cluster.Coordinator.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Bundles;

/// <summary>Registers shipped code: its settings (validated at start-up) and the bundles the coordinator holds.</summary>
internal static class BundleServices
{
    public static IServiceCollection AddBundles(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<BundleOptions>, BundleOptionsValidator>();
        services.AddOptions<BundleOptions>()
            .Bind(configuration.GetSection(BundleOptions.Section))
            .PostConfigure<IOptions<CoordinatorOptions>>((bundles, coordinator) =>
            {
                // With a data directory, bundles are kept beside the journal whose jobs name them, and survive a restart with it.
                if (string.IsNullOrEmpty(bundles.BundleDirectory) && coordinator.Value.DataDir is { Length: > 0 } dataDir)
                {
                    bundles.BundleDirectory = Path.Combine(Path.GetFullPath(dataDir), "bundles");
                }
            })
            .ValidateOnStart();
        services.AddSingleton<CoordinatorBundles>();
        services.AddSingleton<BundleKinds>();
        return services;
    }
}
