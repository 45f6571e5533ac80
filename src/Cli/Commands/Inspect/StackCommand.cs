using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Cluster.Cli.Common;
using Cluster.Contracts.V1;

namespace Cluster.Cli.Commands.Inspect;

/// <summary>
/// <c>cluster stack JOB [--chunk N]</c>: where a job's running attempts are, thread by thread. The workers running them
/// take the managed stacks of their compute threads; attempts sent but not started are listed as queued.
/// </summary>
internal static class StackCommand
{
    public static Command Create(CliConsole console)
    {
        var job = JobCommands.JobArgument();
        var chunk = new Option<long?>("--chunk") { Description = "Only this chunk's attempts", HelpName = "N" };
        var json = CommonOptions.Json();
        var command = ClientCommand.Create(console, "stack", "Show the stacks of the threads running a job's chunks (where a hung chunk waits)", async (parse, client, ct) =>
        {
            var stacks = await client.GetStacksAsync(parse.GetValue(job)!, parse.GetValue(chunk), ct);
            if (parse.GetValue(json))
            {
                console.Out.WriteLine(new JsonArray([.. stacks.Select(ToJson)]).ToJsonString());
            }
            else if (stacks.Count == 0)
            {
                console.Out.WriteLine("No attempt of this job is running.");
            }
            else
            {
                foreach (var stack in stacks)
                {
                    Write(console.Out, stack);
                }
            }

            return ExitCodes.Ok;
        });
        command.Add(job);
        command.Add(chunk);
        command.Add(json);
        return command;
    }

    private static void Write(TextWriter output, AttemptStack stack)
    {
        var seconds = (stack.RunningMs / 1000.0).ToString("0.0", CultureInfo.InvariantCulture);
        var backup = stack.Backup ? " (backup)" : string.Empty;
        var where = string.Create(CultureInfo.InvariantCulture, $"chunk {stack.ChunkIndex} attempt {stack.Attempt}{backup} on worker {stack.WorkerId}");
        if (stack.State == "running")
        {
            output.WriteLine($"{where}, thread {stack.Thread}, running for {seconds} s:");
            foreach (var frame in stack.Frames)
            {
                output.WriteLine("    at " + frame);
            }
        }
        else
        {
            output.WriteLine($"{where}: {stack.State} (sent {seconds} s ago)");
        }

        output.WriteLine();
    }

    private static JsonObject ToJson(AttemptStack stack) => new()
    {
        ["chunk"] = stack.ChunkIndex,
        ["attempt"] = stack.Attempt,
        ["worker"] = stack.WorkerId,
        ["state"] = stack.State,
        ["runningMs"] = stack.RunningMs,
        ["thread"] = stack.Thread,
        ["backup"] = stack.Backup,
        ["frames"] = new JsonArray([.. stack.Frames.Select(f => (JsonNode)f)]),
    };
}
