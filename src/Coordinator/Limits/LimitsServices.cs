using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Limits;

/// <summary>Registers the limits: their settings (validated at start-up), the per-client counts, and Kestrel's connection limits.</summary>
internal static class LimitsServices
{
    public static IServiceCollection AddLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>();
        services.AddOptions<LimitsOptions>().Bind(configuration.GetSection(LimitsOptions.Section)).ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<LimitsOptions>>((kestrel, options) => ConfigureKestrel(kestrel.Limits, options.Value));
        services.TryAddSingleton<ICallerIdentity, CallerIdentity>();
        services.AddSingleton<ClientLimits>();
        return services;
    }

    /// <summary>Sets every connection limit explicitly, so none is left to a framework default that may change.</summary>
    public static void ConfigureKestrel(KestrelServerLimits limits, LimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(options);
        limits.MaxConcurrentConnections = options.MaxConnections;
        limits.MaxConcurrentUpgradedConnections = options.MaxConnections;
        limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
        limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
        limits.KeepAliveTimeout = options.KeepAliveTimeout;
    }
}
