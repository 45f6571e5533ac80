using Cluster.Coordinator.Hosting;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Transport;

/// <summary>Registers and maps what the transport adds to the coordinator: TLS settings, health and reflection.</summary>
internal static class TransportServices
{
    /// <summary>
    /// <see cref="TlsOptions"/> (bound to <c>Coordinator</c>, validated at start-up; the listen endpoint takes them
    /// through <see cref="TlsSetup"/>), the client-certificate check on the worker stream, health (SERVING once the
    /// host has started, NOT_SERVING while it stops), reflection, and the memory Kestrel reads into
    /// (<see cref="TransportBlocks"/>, unless <see cref="CoordinatorOptions.TransportBlockBytes"/> is 0).
    /// </summary>
    public static IServiceCollection AddTransport(this IServiceCollection services, IConfiguration configuration, int blockBytes)
    {
        // Registered after the host's Kestrel defaults, so the socket transport resolves this factory, not Kestrel's.
        if (blockBytes > 0)
        {
            services.AddSingleton<IMemoryPoolFactory<byte>>(new TransportBlocks(blockBytes));
        }

        services.AddSingleton<IValidateOptions<TlsOptions>, TlsOptionsValidator>();
        services.AddOptions<TlsOptions>().Bind(configuration.GetSection(CoordinatorOptions.Section)).ValidateOnStart();
        services.AddSingleton<TlsSetup>();
        services.AddSingleton<ClientCertificateInterceptor>();
        services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<ClientCertificateInterceptor>());

        services.AddGrpcHealthChecks(o => o.UseHealthChecksCache = false).AddCheck<StartedHealthCheck>("started");
        services.AddGrpcReflection();
        return services;
    }

    /// <summary>Maps the health service (<c>grpc.health.v1.Health</c>) and server reflection next to the job and worker services.</summary>
    public static WebApplication MapTransport(this WebApplication app)
    {
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
