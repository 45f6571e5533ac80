using System.CommandLine;
using System.CommandLine.Invocation;
using Cluster.Cli.Commands.Inspect;
using Cluster.Cli.Commands.Serve;
using Cluster.Cli.Commands.Submit;
using Cluster.Cli.Commands.Tokens;
using Cluster.Cli.Common;
using Cluster.Client;

namespace Cluster.Cli;

/// <summary>The <c>cluster</c> command: builds the verbs, parses, runs, and turns every failure into one line and an exit code (see <see cref="ExitCodes"/>).</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        try
        {
            var parse = CreateRoot(console, args).Parse(args);
            if (parse.Action is ParseErrorAction)
            {
                foreach (var error in parse.Errors)
                {
                    console.WriteError(Sentences.End(error.Message));
                }

                console.WriteNote($"Run '{CommandPath(parse)} --help' for usage.");
                return ExitCodes.Usage;
            }

            var invocation = new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                // Verbs that must stop children on Ctrl+C or SIGTERM register their own handlers; the server verbs leave it to their hosts.
                ProcessTerminationTimeout = null,
                Output = console.Out,
                Error = console.Error,
            };
            return await parse.InvokeAsync(invocation, cancellationToken);
        }
        catch (Exception e)
        {
            var (code, message) = ExitCodes.ForException(e);
            console.WriteError(message);
            return code;
        }
    }

    private const string Description = "Cluster: run data-parallel jobs on a coordinator and its workers";

    public static RootCommand CreateRoot(CliConsole console, IReadOnlyList<string> args) => ServerVerb(args) is { } server
        ? new(Description) { server }
        : new(Description)
        {
            SubmitCommand.Create(console, args),
            JobCommands.Jobs(console),
            JobCommands.Status(console),
            JobCommands.Cancel(console),
            StackCommand.Create(console),
            ResultCommand.Create(console),
            ClusterCommands.Workers(console),
            ClusterCommands.Kinds(console),
            LocalCommand.Create(console),
            ServeCommands.Coordinator(),
            ServeCommands.Worker(),
            TokenCommands.Create(console),
        };

    /// <summary>
    /// The <c>coordinator</c> or <c>worker</c> verb when it comes first, as every embedded cluster starts its processes:
    /// its root holds it alone, so such a start builds none of the client verbs (the job kinds that <c>submit</c>
    /// loads, their options), which are a tenth of its CPU time before the host (README "Cold workers and start-up").
    /// </summary>
    private static Command? ServerVerb(IReadOnlyList<string> args) => args.Count == 0 ? null : args[0] switch
    {
        "coordinator" => ServeCommands.Coordinator(),
        "worker" => ServeCommands.Worker(),
        _ => null,
    };

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        names[0] = "cluster";
        return string.Join(' ', names);
    }
}
