using System.Net;
using Cluster.Coordinator.Api;
using Cluster.Coordinator.Attempts;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Membership;
using Cluster.Coordinator.Merging;
using Cluster.Coordinator.Scheduling;
using Cluster.Coordinator.Submission;
using Cluster.Hosting;
using Cluster.Jobs.BuiltIn;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator;

/// <summary>Entry point of the coordinator, callable from the executable and from the <c>cluster coordinator</c> verb.</summary>
public static class CoordinatorApp
{
    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--port"] = "Coordinator:Port",
        ["--host"] = "Coordinator:Host",
        ["--jobs"] = "Coordinator:Jobs",
    };

    /// <summary>Runs the coordinator until it is stopped (Ctrl+C, SIGTERM, or the parent going away); returns the exit code.</summary>
    /// <remarks>
    /// Settings come from appsettings.json, <c>CLUSTER_</c>-prefixed environment variables (<c>CLUSTER_Coordinator__Port</c>)
    /// and the command line (<c>--port</c>, <c>--host</c>, <c>--jobs</c>, or any <c>--Coordinator:Key=value</c>), later ones winning.
    /// </remarks>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        return await ProcessDefaults.RunAsync("coordinator", async () =>
        {
            await using var app = Build(args);

            // Settings are checked before the host starts, so a bad one is one line, not the host's stack trace.
            _ = app.Services.GetRequiredService<IOptions<CoordinatorOptions>>().Value;
            await app.StartAsync(cancellationToken);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            foreach (var address in addresses)
            {
                Console.Out.WriteLine(Announcements.Listening + address);
            }

            await Console.Out.FlushAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
    }

    internal static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = HostingExtensions.WithoutFlags(args) });
        ProcessDefaults.Configure(builder, args, SwitchMappings);

        var services = builder.Services;
        services.AddSingleton<IValidateOptions<CoordinatorOptions>, CoordinatorOptionsValidator>();
        services.AddOptions<CoordinatorOptions>().Bind(builder.Configuration.GetSection(CoordinatorOptions.Section)).ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<CoordinatorOptions>>((kestrel, options) => ConfigureKestrel(kestrel, options.Value));
        services.AddGrpc(o =>
        {
            var limit = builder.Configuration.GetSection(CoordinatorOptions.Section).Get<CoordinatorOptions>()?.MaxMessageBytes ?? (64 << 20);
            o.MaxReceiveMessageSize = limit;
            o.MaxSendMessageSize = limit;
        });
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => BuiltInKinds.Catalog(HostingExtensions.SplitList(sp.GetRequiredService<IOptions<CoordinatorOptions>>().Value.Jobs)));
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobWatch>();
        services.AddSingleton<JobSubmitter>();
        services.AddSingleton<DispatchLock>();
        services.AddSingleton<Scheduler>();
        services.AddSingleton<RetryPlacement>();
        services.AddSingleton<StragglerRule>();
        services.AddSingleton<AttemptLedger>();
        services.AddSingleton<RetryPolicy>();
        services.AddSingleton<ResultIntake>();
        services.AddSingleton<ResultMerger>();
        services.AddSingleton<JobFinisher>();
        services.AddSingleton<WorkerDeparture>();
        services.AddSingleton<WorkerRegistry>();
        services.AddSingleton<WorkerHealth>();
        services.AddSingleton<SessionRunner>();
        services.AddHostedService<LivenessMonitor>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

        var app = builder.Build();
        app.MapGrpcService<JobsEndpoint>();
        app.MapGrpcService<WorkersEndpoint>();
        return app;
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, CoordinatorOptions options)
    {
        var address = options.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.Host);
        kestrel.Listen(address, options.Port, listen => listen.Protocols = HttpProtocols.Http2);

        // Pings find a dead peer on an idle connection well before TCP would; the lease handles busy ones.
        kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(10);
        kestrel.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(10);
        kestrel.Limits.MaxRequestBodySize = null;

        // Windows far above the defaults (1 MiB / 768 KiB) let multi-MiB inputs and payloads stream without stalls.
        kestrel.Limits.Http2.InitialConnectionWindowSize = 64 << 20;
        kestrel.Limits.Http2.InitialStreamWindowSize = 32 << 20;
    }
}
