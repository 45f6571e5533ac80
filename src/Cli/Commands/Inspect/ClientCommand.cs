using System.CommandLine;
using Cluster.Cli.Common;
using Cluster.Client;

namespace Cluster.Cli.Commands.Inspect;

/// <summary>A verb that talks to an existing coordinator: adds <c>--coordinator</c> and hands the handler a client.</summary>
internal static class ClientCommand
{
    public static Command Create(
        CliConsole console, string name, string description, Func<ParseResult, ClusterClient, CancellationToken, Task<int>> action)
    {
        var coordinator = CommonOptions.Coordinator(console, CommonOptions.DefaultCoordinator);
        var tokenFile = CommonOptions.TokenFile();
        var command = new Command(name, description) { coordinator, tokenFile };
        command.SetAction(async (parse, ct) =>
        {
            using var client = Connect(parse.GetValue(coordinator) ?? CommonOptions.DefaultCoordinator, CommonOptions.Token(console, parse.GetValue(tokenFile)));
            return await action(parse, client, ct);
        });
        return command;
    }

    /// <summary>A client of <paramref name="address"/> sending <paramref name="token"/>, or a usage error that says what a valid address looks like.</summary>
    public static ClusterClient Connect(string address, string? token)
    {
        try
        {
            return new ClusterClient(address, new ClusterClientOptions { Token = token });
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException("--coordinator: " + e.Message);
        }
    }

    /// <summary>The current time for elapsed-time columns.</summary>
    public static long NowUnixMs() => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
}
