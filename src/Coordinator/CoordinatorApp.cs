using Cluster.Contracts.V1;
using Cluster.Coordinator.Api;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Journal;
using Cluster.Coordinator.Limits;
using Cluster.Coordinator.Observability;
using Cluster.Coordinator.Security;
using Cluster.Coordinator.Transport;
using Cluster.Hosting;
using Cluster.Processes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator;

/// <summary>Entry point of the coordinator, callable from the executable and from the <c>cluster coordinator</c> verb.</summary>
public static class CoordinatorApp
{
    internal static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--port"] = "Coordinator:Port",
        ["--http-port"] = "Coordinator:HttpPort",
        ["--host"] = "Coordinator:Host",
        ["--jobs"] = "Coordinator:Jobs",
        ["--tokens"] = "Coordinator:TokensFile",
        ["--tls-cert"] = "Coordinator:TlsCert",
        ["--tls-key"] = "Coordinator:TlsKey",
        ["--client-ca"] = "Coordinator:ClientCa",
        ["--data-dir"] = "Coordinator:DataDir",
    };

    /// <summary>Runs the coordinator until it is stopped (Ctrl+C, SIGTERM, or the parent going away); returns the exit code.</summary>
    /// <remarks>
    /// Settings come from appsettings.json, <c>CLUSTER_</c>-prefixed environment variables (<c>CLUSTER_Coordinator__Port</c>)
    /// and the command line (<c>--port</c>, <c>--host</c>, <c>--jobs</c>, <c>--tokens</c>, <c>--insecure</c>, <c>--tls-cert</c>,
    /// <c>--tls-key</c>, <c>--client-ca</c>, <c>--data-dir</c>, or any <c>--Coordinator:Key=value</c>), later ones winning.
    /// </remarks>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        return await ProcessDefaults.RunAsync("coordinator", async () =>
        {
            await using var app = Build(args);

            // Settings are checked before the host starts, so a bad one is one line, not the host's stack trace.
            _ = app.Services.GetRequiredService<IOptions<CoordinatorOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<LimitsOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<TlsOptions>>().Value;

            // The journal opens before the server listens: one that cannot be used stops the coordinator with its sentence.
            _ = app.Services.GetRequiredService<CoordinatorJournal>();

            // The bundle store holds its folder from the start, so a coordinator started again takes the same one back
            // (and journalled jobs of bundle kinds find their bundles when they are restored, next).
            _ = app.Services.GetRequiredService<Bundles.CoordinatorBundles>();
            app.Services.GetRequiredService<JournalFaults>().Attach();
            app.Services.GetRequiredService<JournalRecovery>().Recover();
            // Calls are served concurrently from the start: the contract's descriptors are built before (see ContractDescriptors).
            _ = ContractDescriptors.All;
            await app.StartAsync(cancellationToken);
            var http = app.Services.GetRequiredService<HttpEndpoint>();
            var httpUrl = http.Url(app.Services.GetRequiredService<IOptions<TlsOptions>>().Value.Enabled);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            foreach (var address in addresses.Where(a => !string.Equals(a, httpUrl, StringComparison.Ordinal)))
            {
                Console.Out.WriteLine(Announcements.Listening + address);
            }

            if (httpUrl is not null)
            {
                Console.Out.WriteLine(Announcements.Http + httpUrl);
            }

            await Console.Out.FlushAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
    }

    internal static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = HostingExtensions.HostArgs(args) });
        ProcessDefaults.Configure(builder, args, SwitchMappings);
        if (args.Contains(HostingExtensions.InsecureFlag, StringComparer.Ordinal))
        {
            builder.Configuration.AddInMemoryCollection([new("Coordinator:Insecure", "true")]);
        }

        var services = builder.Services;
        services.AddCoordinator(builder.Configuration);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

        var app = builder.Build();
        app.MapGrpcService<JobsEndpoint>();
        app.MapGrpcService<WorkersEndpoint>();
        app.MapGrpcService<BundlesEndpoint>();
        app.MapTransport();
        app.MapObservability();
        return app;
    }
}
