namespace Cluster.Coordinator.Transport;

/// <summary>Registers and maps what the transport adds to the coordinator: health and reflection.</summary>
internal static class TransportServices
{
    /// <summary>Health (SERVING once the host has started, NOT_SERVING while it stops) and reflection.</summary>
    public static IServiceCollection AddTransport(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
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
