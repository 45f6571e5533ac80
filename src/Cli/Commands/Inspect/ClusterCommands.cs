using System.CommandLine;
using Cluster.Cli.Common;
using Cluster.Cli.Rendering;
using Google.Protobuf;

namespace Cluster.Cli.Commands.Inspect;

/// <summary><c>cluster workers</c> and <c>cluster kinds</c>.</summary>
internal static class ClusterCommands
{
    public static Command Workers(CliConsole console)
    {
        var all = new Option<bool>("--all") { Description = "Also list workers that left recently" };
        var json = CommonOptions.Json();
        var command = ClientCommand.Create(console, "workers", "List the workers of the cluster", async (parse, client, ct) =>
        {
            var workers = await client.ListWorkersAsync(parse.GetValue(all), ct);
            if (parse.GetValue(json))
            {
                console.Out.WriteLine(JsonArray(workers));
            }
            else
            {
                console.Tables.Write(Tables.Workers(workers, ClientCommand.NowUnixMs()));
            }

            return ExitCodes.Ok;
        });
        command.Add(all);
        command.Add(json);
        return command;
    }

    public static Command Kinds(CliConsole console)
    {
        var json = CommonOptions.Json();
        var command = ClientCommand.Create(console, "kinds", "List the job kinds the coordinator runs", async (parse, client, ct) =>
        {
            var kinds = await client.ListKindsAsync(ct);
            if (parse.GetValue(json))
            {
                console.Out.WriteLine(JsonArray(kinds));
            }
            else
            {
                console.Tables.Write(Tables.Kinds(kinds));
            }

            return ExitCodes.Ok;
        });
        command.Add(json);
        return command;
    }

    private static string JsonArray(IEnumerable<IMessage> messages) =>
        "[" + string.Join(",", messages.Select(m => JsonFormatter.Default.Format(m))) + "]";
}
