using System.CommandLine;
using Cluster.Cli.Common;
using Cluster.Cli.Embedded;
using Cluster.Processes;

namespace Cluster.Cli.Commands.Serve;

/// <summary><c>cluster local</c>: a coordinator and workers as child processes, until Ctrl+C or SIGTERM.</summary>
internal static class LocalCommand
{
    public static Command Create(CliConsole console)
    {
        var workers = new Option<int>("--workers") { Description = "Worker processes", HelpName = "N", DefaultValueFactory = _ => 2 };
        var port = CommonOptions.Port("Coordinator port; 0 picks a free one");
        port.DefaultValueFactory = _ => 7400;
        var threads = CommonOptions.Threads();
        var jobs = CommonOptions.Jobs();
        var command = new Command("local", "Run a local cluster (a coordinator and workers) until Ctrl+C") { workers, port, threads, jobs };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new EmbeddedCluster.Settings(
                parse.GetValue(workers), parse.GetValue(threads), parse.GetValue(port) ?? 7400, CommonOptions.SplitList(parse.GetValue(jobs)));
            using var termination = new TerminationSignal(ct);
            await using var cluster = await EmbeddedCluster.StartAsync(settings, termination.Token);
            console.Out.WriteLine(Announcements.Listening + cluster.Address.ToString().TrimEnd('/'));
            console.WriteNote($"Local cluster with {settings.Workers} workers. Press Ctrl+C to stop.");
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
}
