using System.Net;
using Cluster.Coordinator.Api;
using Cluster.Coordinator.Attempts;
using Cluster.Coordinator.Bundles;
using Cluster.Coordinator.Diagnostics;
using Cluster.Coordinator.Dispatch;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Journal;
using Cluster.Coordinator.Limits;
using Cluster.Coordinator.LocalReads;
using Cluster.Coordinator.Membership;
using Cluster.Coordinator.Merging;
using Cluster.Coordinator.Observability;
using Cluster.Coordinator.Scheduling;
using Cluster.Coordinator.Security;
using Cluster.Coordinator.Submission;
using Cluster.Coordinator.Transport;
using Cluster.Hosting;
using Cluster.Hosting.Inputs;
using Cluster.Jobs.BuiltIn;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Hosting;

/// <summary>The coordinator's settings, server and services, registered stage by stage in the order a job meets them.</summary>
internal static class CoordinatorServices
{
    public static IServiceCollection AddCoordinator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<CoordinatorOptions>, CoordinatorOptionsValidator>();
        services.AddOptions<CoordinatorOptions>().Bind(configuration.GetSection(CoordinatorOptions.Section)).ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<CoordinatorOptions>, TlsSetup, HttpEndpoint>((kestrel, options, tls, http) => ConfigureKestrel(kestrel, options.Value, tls, http));
        var configured = CoordinatorOptions.Bind(configuration);
        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = configured.MaxMessageBytes;
            o.MaxSendMessageSize = configured.MaxMessageBytes;
        });
        services.AddSingleton(TimeProvider.System);
        services.AddSecurity(configuration);
        services.AddLimits(configuration);
        services.AddSingleton(sp => BuiltInKinds.Catalog(HostingExtensions.SplitList(sp.GetRequiredService<IOptions<CoordinatorOptions>>().Value.Jobs)));

        // Api
        services.AddSingleton<JobWatch>();

        // Diagnostics: stacks of running attempts (cluster stack)
        services.AddSingleton<StackQuery>();

        // Bundles: shipped code
        services.AddBundles(configuration);

        // Journal: jobs kept across restarts, in the data directory
        services.AddJournal();

        // Submission, and the jobs every stage shares
        services.AddSingleton<JobSubmitter>();

        // The probe of an input by reference at submission, which the client waits for: fewer retries and a shorter
        // timeout than a worker's reads (Worker:HttpInput).
        services.AddHttpInput(configuration, CoordinatorOptions.Section + ":HttpInput", probe =>
        {
            probe.Retries = 2;
            probe.AttemptTimeout = TimeSpan.FromSeconds(10);
        });
        services.AddSingleton<ArrivingUploads>();
        services.AddSingleton<InputSpool>();
        services.AddSingleton<JobStore>();

        // Scheduling
        services.AddSingleton<DispatchLock>();
        services.AddSingleton<Scheduler>();
        services.AddSingleton<RetryPlacement>();
        services.AddSingleton<StragglerRule>();

        // Dispatch
        services.AddSingleton<SendLoop>();
        services.AddSingleton<AssignmentWriter>();
        services.AddSingleton<LocalReadProbe>();

        // Attempts
        services.AddSingleton<AttemptLedger>();
        services.AddSingleton<AttemptRecorder>();
        services.AddSingleton<RetryPolicy>();
        services.AddSingleton<ResultIntake>();

        // Merging
        services.AddSingleton<ResultMerger>();
        services.AddSingleton<JobFinisher>();

        // Membership
        services.AddSingleton<SessionLifetime>();
        services.AddSingleton<WorkerDeparture>();
        services.AddSingleton<WorkerRegistry>();
        services.AddSingleton<WorkerHealth>();
        services.AddHostedService<LivenessMonitor>();

        // Transport: TLS, health and reflection
        services.AddTransport(configuration, configured.TransportBlockBytes);

        // Observability: metrics on the HTTP port
        services.AddObservability(configuration);
        return services;
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, CoordinatorOptions options, TlsSetup tls, HttpEndpoint http)
    {
        var address = options.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.Host);
        kestrel.Listen(address, options.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            tls.Apply(listen);
        });
        if (options.HttpPort >= 0)
        {
            http.Listen(kestrel, address, options.HttpPort, tls.Apply);
        }

        // Pings find a dead peer on an idle connection well before TCP would; the lease handles busy ones.
        kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(10);
        kestrel.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(10);
        kestrel.Limits.MaxRequestBodySize = null;

        // Windows far above the defaults (1 MiB / 768 KiB) let multi-MiB inputs and payloads stream without stalls.
        kestrel.Limits.Http2.InitialConnectionWindowSize = 64 << 20;
        kestrel.Limits.Http2.InitialStreamWindowSize = 32 << 20;
    }
}
