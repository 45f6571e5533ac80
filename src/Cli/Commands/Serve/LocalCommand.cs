using System.CommandLine;
using Cluster.Cli.Common;
using Cluster.Cli.Embedded;
using Cluster.Processes;

namespace Cluster.Cli.Commands.Serve;

/// <summary><c>cluster local</c>: a coordinator and workers as child processes, until Ctrl+C or SIGTERM.</summary>
internal static class LocalCommand
{
    /// <summary>Prefix of the line that prints the client token when no <c>--token-out</c> file is named.</summary>
    public const string TokenLine = "token: ";

    /// <summary>Printed after the address: the web dashboard's address (with the client token to log in, unless it goes to a file).</summary>
    public const string DashboardLine = "dashboard: ";

    public static Command Create(CliConsole console)
    {
        var workers = new Option<int>("--workers") { Description = "Worker processes", HelpName = "N", DefaultValueFactory = _ => 2 };
        var port = CommonOptions.Port("Coordinator port; 0 picks a free one");
        port.DefaultValueFactory = _ => 7400;
        var threads = CommonOptions.Threads();
        var jobs = CommonOptions.Jobs();
        var tokenOut = new Option<FileInfo?>("--token-out")
        {
            Description = "Write the cluster's client token to this file (mode 0600) instead of printing it",
            HelpName = "FILE",
        };
        var dataDir = new Option<string?>("--data-dir")
        {
            Description = $"The coordinator's data directory: its journal, so jobs survive a restart, with their inputs, results and bundles (default: local in ${StateDirectory.Variable}/cluster or ~/.local/state/cluster)",
            HelpName = "DIR",
        };
        var command = new Command("local", "Run a local cluster (a coordinator and workers) until Ctrl+C") { workers, port, threads, jobs, tokenOut, dataDir };
        command.SetAction(async (parse, ct) =>
        {
            var data = parse.GetValue(dataDir) is { Length: > 0 } given ? Path.GetFullPath(given) : StateDirectory.For("local", console.GetEnvironmentVariable);
            var settings = new EmbeddedCluster.Settings(parse.GetValue(workers), parse.GetValue(threads), parse.GetValue(port) ?? 7400, data);
            var shipped = LocalBundles.Check(CommonOptions.SplitList(parse.GetValue(jobs)));
            using var termination = new TerminationSignal(ct);
            await using var cluster = await EmbeddedCluster.StartAsync(settings, termination.Token);
            await LocalBundles.ShipAsync(console, cluster, shipped, termination.Token);
            console.Out.WriteLine(Announcements.Listening + cluster.Address.ToString().TrimEnd('/'));
            ShareToken(console, cluster.ClientToken!, parse.GetValue(tokenOut));
            if (EmbeddedCluster.DashboardUrl(cluster, withToken: parse.GetValue(tokenOut) is null) is { } dashboard)
            {
                console.Out.WriteLine(DashboardLine + dashboard);
            }

            console.WriteNote($"Local cluster with {settings.Workers} workers, data in {data}. Press Ctrl+C to stop.");
            var code = ExitCodes.Ok;
            try
            {
                await cluster.Coordinator.WaitForExitAsync(termination.Token);
                console.WriteError($"The coordinator exited unexpectedly (code {cluster.Coordinator.ExitCode}).");
                code = ExitCodes.LocalClusterFailed;
            }
            catch (OperationCanceledException) when (termination.Token.IsCancellationRequested)
            {
                console.WriteNote("Stopping...");
            }

            await cluster.StopAsync(CancellationToken.None);
            return code;
        });
        return command;
    }

    /// <summary>
    /// Hands the client token to other terminals: written to <paramref name="file"/> (mode 0600) when given, else
    /// printed once on standard output as <c>token: SECRET</c>, after the address.
    /// </summary>
    private static void ShareToken(CliConsole console, string token, FileInfo? file)
    {
        if (file is null)
        {
            console.Out.WriteLine(TokenLine + token);
            console.WriteNote("Other terminals submit with that token: CLUSTER_TOKEN=<token> or --token-file FILE (or start with --token-out FILE).");
            return;
        }

        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(file.FullName, options))
        {
            writer.WriteLine(token);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        console.WriteNote($"Client token written to {file.FullName}: other terminals submit with --token-file {file.FullName}.");
    }
}
