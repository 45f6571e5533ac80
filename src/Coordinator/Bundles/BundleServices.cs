using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Bundles;

/// <summary>Registers shipped code: its settings (validated at start-up) and the bundles the coordinator holds.</summary>
internal static class BundleServices
{
    public static IServiceCollection AddBundles(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<BundleOptions>, BundleOptionsValidator>();
        services.AddOptions<BundleOptions>().Bind(configuration.GetSection(BundleOptions.Section)).ValidateOnStart();
        services.AddSingleton<CoordinatorBundles>();
        services.AddSingleton<BundleKinds>();
        return services;
    }
}
