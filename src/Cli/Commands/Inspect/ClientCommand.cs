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
        var tls = new TlsFlags();
        var command = new Command(name, description) { coordinator, tokenFile };
        foreach (var option in tls.All)
        {
            command.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            using var client = Connect(parse.GetValue(coordinator) ?? CommonOptions.DefaultCoordinator, tls.Read(parse, CommonOptions.Token(console, parse.GetValue(tokenFile))));
            return await action(parse, client, ct);
        });
        return command;
    }

    /// <summary>A client of <paramref name="address"/>, or a usage error that says what a valid address (or TLS file) looks like.</summary>
    public static ClusterClient Connect(string address, ClusterClientOptions? options = null)
    {
        try
        {
            return new ClusterClient(address, options);
        }
        catch (ArgumentException e) when (e.ParamName == "address")
        {
            throw new CliUsageException("--coordinator: " + e.Message);
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException(e.Message.Replace(" (Parameter '" + e.ParamName + "')", string.Empty, StringComparison.Ordinal));
        }
    }

    /// <summary>The current time for elapsed-time columns.</summary>
    public static long NowUnixMs() => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
}
