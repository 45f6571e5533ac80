using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cluster.Hosting;

/// <summary>
/// OpenTelemetry tracing for the coordinator and the worker, exported over OTLP when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable (or setting) names a collector, and off otherwise: then no tracer
/// listens, so the activity sources create nothing and the hot path pays one check per chunk.
/// </summary>
public static class Tracing
{
    /// <summary>The standard variable naming the OTLP collector; its siblings (protocol, headers) are read by the exporter.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Adds tracing of <paramref name="sources"/> exported over OTLP if <see cref="EndpointVariable"/> is set; returns whether it did.</summary>
    public static bool AddOtlpTracingIfConfigured(this IServiceCollection services, IConfiguration configuration, string serviceName, params string[] sources)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration[EndpointVariable]) && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EndpointVariable)))
        {
            return false;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing.AddSource(sources).AddOtlpExporter());
        return true;
    }
}
