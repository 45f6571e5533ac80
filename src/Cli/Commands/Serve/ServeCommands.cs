using System.CommandLine;
using Cluster.Cli.Common;
using Cluster.Coordinator;
using Cluster.Processes;
using Cluster.Worker;

namespace Cluster.Cli.Commands.Serve;

/// <summary><c>cluster coordinator</c> and <c>cluster worker</c>: run the server parts in this process.</summary>
internal static class ServeCommands
{
    /// <summary>Runs a server part with its arguments until it stops; returns its exit code.</summary>
    public delegate Task<int> App(string[] args, CancellationToken cancellationToken);

    /// <param name="app">Runs the coordinator (default: in this process).</param>
    /// <param name="environment">Reads environment variables, for the default data directory (default: this process's).</param>
    public static Command Coordinator(App? app = null, Func<string, string?>? environment = null)
    {
        var port = CommonOptions.Port("Port to listen on; 0 picks a free one (default 7400)");
        var httpPort = new Option<int?>("--http-port") { Description = "HTTP port for /metrics (Prometheus), same address, tokens and TLS; 0 picks a free one, -1 none (default 7401)", HelpName = "PORT" };
        var host = new Option<string?>("--host") { Description = "Address to listen on (default 127.0.0.1)", HelpName = "HOST" };
        var jobs = CommonOptions.Jobs();
        var tokens = File("--tokens", "Token file, one NAME:ROLE:SECRET per line (roles worker, client, admin); re-read on SIGHUP or change. Required off loopback unless --insecure");
        var insecure = new Option<bool>("--insecure") { Description = "Accept every caller without a token file, even off loopback (logs a warning at start and every 5 minutes)" };
        var tlsCert = File("--tls-cert", "PEM certificate to serve TLS with (https://); needs --tls-key");
        var tlsKey = File("--tls-key", "PEM private key of --tls-cert");
        var clientCa = File("--client-ca", "PEM CA that must have signed a worker's client certificate (mutual TLS; clients too with --Coordinator:RequireClientCertificateForClients=true)");
        var dataDir = new Option<string?>("--data-dir") { Description = $"Data directory for the journal of accepted jobs, their inputs, results and bundles, so jobs survive a restart (default: coordinator in ${StateDirectory.Variable}/cluster or ~/.local/state/cluster; --Coordinator:DataDir= for none, jobs in memory)", HelpName = "DIR" };
        var parentWatch = PassThroughArgs.ParentWatchOption();
        var command = new Command("coordinator", "Run a coordinator in this process (extra --Section:Key=value settings are passed on)")
        {
            port, httpPort, host, jobs, tokens, insecure, tlsCert, tlsKey, clientCa, dataDir, parentWatch,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => (app ?? CoordinatorApp.RunAsync)(
            new PassThroughArgs(parse).Add(port).Add(httpPort).Add(host).Add(jobs).Add(tokens).AddFlag(insecure).Add(tlsCert).Add(tlsKey).Add(clientCa).Add(dataDir)
                .AddDefault(dataDir, DefaultDataDir(parse, dataDir, parentWatch, environment ?? Environment.GetEnvironmentVariable)).AddFlag(parentWatch).Build(), ct));
        return command;
    }

    /// <summary>
    /// The per-user data directory, for a coordinator run by hand that was given none (neither <c>--data-dir</c> nor
    /// <c>--Coordinator:DataDir</c>); null for one started by a parent (<c>--exit-with-parent</c>), which decides for it.
    /// </summary>
    private static string? DefaultDataDir(ParseResult parse, Option<string?> dataDir, Option<bool> parentWatch, Func<string, string?> environment)
    {
        var given = parse.GetResult(dataDir) is { Implicit: false }
            || parse.UnmatchedTokens.Any(t => t.StartsWith("--Coordinator:DataDir", StringComparison.OrdinalIgnoreCase));
        return given || parse.GetValue(parentWatch) ? null : StateDirectory.For("coordinator", environment);
    }

    public static Command Worker(App? app = null)
    {
        var coordinator = new Option<string>("--coordinator") { Description = "Coordinator URL to join", HelpName = "URL", Required = true };
        var threads = CommonOptions.Threads();
        var cpus = new Option<string?>("--cpus") { Description = "Pin compute threads to these CPUs, for example 0,1", HelpName = "LIST" };
        var id = new Option<string?>("--id") { Description = "Worker id (default: host and process id)", HelpName = "ID" };
        var jobs = CommonOptions.Jobs();
        var tokenFile = File("--token-file", $"File holding the worker token for a coordinator with a token file (default: env {BearerToken.EnvironmentVariable})");
        var bundleCache = new Option<string?>("--bundle-cache") { Description = "Folder caching bundles fetched from the coordinator (default: cluster-bundles/worker in the temporary folder, or worker-2, worker-3, ... while another worker holds it)", HelpName = "DIR" };
        var tls = new TlsFlags();
        var parentWatch = PassThroughArgs.ParentWatchOption();
        var command = new Command("worker", "Run a worker in this process and join a coordinator (extra --Section:Key=value settings are passed on)")
        {
            coordinator, threads, cpus, id, jobs, tokenFile, tls.Ca, tls.ClientCert, tls.ClientKey, bundleCache, parentWatch,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => (app ?? WorkerApp.RunAsync)(
            new PassThroughArgs(parse).Add(coordinator).Add(threads).Add(cpus).Add(id).Add(jobs).Add(tokenFile).Add(tls.Ca).Add(tls.ClientCert).Add(tls.ClientKey).Add(bundleCache).AddFlag(parentWatch).Build(), ct));
        return command;
    }

    private static Option<string?> File(string name, string description) => new(name) { Description = description, HelpName = "FILE" };
}
