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

    public static RootCommand CreateRoot(CliConsole console, IReadOnlyList<string> args) =>
        new("Cluster: run data-parallel jobs on a coordinator and its workers")
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
