using System.CommandLine;
using Cluster.Cli.Common;
using Cluster.Coordinator;
using Cluster.Worker;

namespace Cluster.Cli.Commands.Serve;

/// <summary><c>cluster coordinator</c> and <c>cluster worker</c>: run the server parts in this process.</summary>
internal static class ServeCommands
{
    /// <summary>Runs a server part with its arguments until it stops; returns its exit code.</summary>
    public delegate Task<int> App(string[] args, CancellationToken cancellationToken);

    public static Command Coordinator(App? app = null)
    {
        var port = CommonOptions.Port("Port to listen on; 0 picks a free one (default 7400)");
        var host = new Option<string?>("--host") { Description = "Address to listen on (default 127.0.0.1)", HelpName = "HOST" };
        var jobs = CommonOptions.Jobs();
        var parentWatch = PassThroughArgs.ParentWatchOption();
        var command = new Command("coordinator", "Run a coordinator in this process (extra --Section:Key=value settings are passed on)")
        {
            port, host, jobs, parentWatch,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => (app ?? CoordinatorApp.RunAsync)(
            new PassThroughArgs(parse).Add(port).Add(host).Add(jobs).AddParentWatch(parentWatch).Build(), ct));
        return command;
    }

    public static Command Worker(App? app = null)
    {
        var coordinator = new Option<string>("--coordinator") { Description = "Coordinator URL to join", HelpName = "URL", Required = true };
        var threads = CommonOptions.Threads();
        var cpus = new Option<string?>("--cpus") { Description = "Pin compute threads to these CPUs, for example 0,1", HelpName = "LIST" };
        var id = new Option<string?>("--id") { Description = "Worker id (default: host and process id)", HelpName = "ID" };
        var jobs = CommonOptions.Jobs();
        var parentWatch = PassThroughArgs.ParentWatchOption();
        var command = new Command("worker", "Run a worker in this process and join a coordinator")
        {
            coordinator, threads, cpus, id, jobs, parentWatch,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => (app ?? WorkerApp.RunAsync)(
            new PassThroughArgs(parse).Add(coordinator).Add(threads).Add(cpus).Add(id).Add(jobs).AddParentWatch(parentWatch).Build(), ct));
        return command;
    }
}
