using Cluster.Hosting;
using Cluster.Hosting.Inputs;
using Cluster.Jobs.BuiltIn;
using Cluster.Worker.Connection;
using Cluster.Worker.Execution;
using Cluster.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Worker;

/// <summary>Entry point of the worker, callable from the executable and from the <c>cluster worker</c> verb.</summary>
public static class WorkerApp
{
    internal static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--coordinator"] = "Worker:Coordinator",
        ["--threads"] = "Worker:Threads",
        ["--cpus"] = "Worker:Cpus",
        ["--id"] = "Worker:Id",
        ["--jobs"] = "Worker:Jobs",
        ["--token-file"] = "Worker:TokenFile",
        ["--ca"] = "Worker:CaFile",
        ["--client-cert"] = "Worker:ClientCert",
        ["--client-key"] = "Worker:ClientKey",
        ["--bundle-cache"] = "Worker:BundleCache",
    };

    /// <summary>Runs the worker until it is stopped (Ctrl+C, SIGTERM, or the parent going away); returns the exit code.</summary>
    /// <remarks>
    /// Settings come from appsettings.json, <c>CLUSTER_</c>-prefixed environment variables (<c>CLUSTER_Worker__Threads</c>)
    /// and the command line (<c>--coordinator</c>, <c>--threads</c>, <c>--cpus</c>, <c>--id</c>, <c>--jobs</c>, <c>--token-file</c>,
    /// <c>--ca</c>, <c>--client-cert</c>, <c>--client-key</c>, <c>--bundle-cache</c>, or any
    /// <c>--Worker:Key=value</c>), later ones winning.
    /// </remarks>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        return await ProcessDefaults.RunAsync("worker", async () =>
        {
            using var host = Build(args);

            // Settings are checked before the host starts, so a bad one is one line, not the host's stack trace.
            _ = host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value;
            await host.RunAsync(cancellationToken);
            return Environment.ExitCode;
        });
    }

    internal static IHost Build(string[] args)
    {
        var plain = HostingExtensions.HostArgs(args);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = plain, DisableDefaults = false });
        ProcessDefaults.Configure(builder, args, SwitchMappings);

        var services = builder.Services;
        services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>();
        services.AddOptions<WorkerOptions>().Bind(builder.Configuration.GetSection(WorkerOptions.Section)).ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => BuiltInKinds.Catalog(
            HostingExtensions.SplitList(sp.GetRequiredService<IOptions<WorkerOptions>>().Value.Jobs)));
        services.AddSingleton<ChunkTracing>();
        services.AddOtlpTracingIfConfigured(builder.Configuration, "cluster-worker", ChunkTracing.SourceName);
        services.AddSingleton<ComputePool>();
        services.AddHttpInput(builder.Configuration, WorkerOptions.Section + ":HttpInput");
        services.AddHostedService<WorkerAgent>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder.Build();
    }
}
