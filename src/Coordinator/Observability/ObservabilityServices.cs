using System.IO.Compression;
using Cluster.Coordinator.Dashboard;
using Cluster.Hosting;
using Microsoft.AspNetCore.ResponseCompression;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Cluster.Coordinator.Observability;

/// <summary>Registers and maps what makes the coordinator visible: its instruments and the HTTP port that serves <c>/metrics</c>.</summary>
internal static class ObservabilityServices
{
    /// <summary>The Prometheus scrape path on the HTTP port.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The dashboard's files and data on the HTTP port (its page is at <c>/</c>).</summary>
    public const string DashboardPath = "/dashboard";

    private const string RuntimeMeter = "System.Runtime";

    private static readonly string[] CompressedTypes = ["text/event-stream", "application/json", "text/plain", "text/html", "text/css", "text/javascript"];

    private static readonly string[] DroppedRuntimeInstruments = ["dotnet.assembly.count", "dotnet.process.cpu.count", "dotnet.timer.count"];

    /// <summary>
    /// The coordinator's instruments (<see cref="ChunkMetrics"/>, <see cref="ClusterGauges"/>) and the runtime's own
    /// (<c>System.Runtime</c>: process CPU time, memory, GC), exported through OpenTelemetry's Prometheus exporter.
    /// </summary>
    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<JobTracing>();
        services.AddOtlpTracingIfConfigured(configuration, "cluster-coordinator", JobTracing.SourceName);
        services.AddSingleton<HttpEndpoint>();
        services.AddSingleton<HttpPortAccess>();
        services.AddSingleton<ChunkMetrics>();
        services.AddSingleton<ClusterGauges>();
        services.AddDashboard();
        services.AddResponseCompression(options =>
        {
            // The dashboard's stream carries every worker's row each second (some 500 KiB at 1,000 workers), which
            // gzip cuts about sixfold. (/metrics comes encoded by OpenTelemetry's exporter already, and an encoded
            // response is left alone.) No secret is in these bodies (tokens never are), so compressing over TLS gives
            // a BREACH-style guesser nothing to find.
            options.EnableForHttps = true;
            options.MimeTypes = CompressedTypes;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
        });
        services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("cluster-coordinator"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ChunkMetrics.MeterName, RuntimeMeter).AddPrometheusExporter();

                // Counts of things that are not events, named *_count, which Prometheus reserves for histograms and
                // summaries (promtool refuses them); none of them says anything about the cluster.
                foreach (var name in DroppedRuntimeInstruments)
                {
                    metrics.AddView(name, MetricStreamConfiguration.Drop);
                }
            });
        return services;
    }

    /// <summary>Puts the HTTP port's gate in front of every request and maps <c>/metrics</c> and the dashboard behind it.</summary>
    public static WebApplication MapObservability(this WebApplication app)
    {
        // The observable instruments exist once their owner does.
        _ = app.Services.GetRequiredService<ClusterGauges>();
        var access = app.Services.GetRequiredService<HttpPortAccess>();
        app.Use(async (context, next) =>
        {
            if (access.Admit(context))
            {
                await next(context);
            }
        });

        // Responses of the HTTP port only: the gRPC port's calls never pass through the compressor.
        app.UseWhen(HttpPortAccess.IsHttpPort, branch => branch.UseResponseCompression());
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        app.MapDashboard();
        return app;
    }
}
