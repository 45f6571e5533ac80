using System.CommandLine;
using System.Text.Json.Nodes;
using Cluster.Cli.Common;
using Cluster.Cli.Rendering;
using Cluster.Contracts.V1;

namespace Cluster.Cli.Commands.Inspect;

/// <summary><c>cluster jobs</c>, <c>status</c> and <c>cancel</c>.</summary>
internal static class JobCommands
{
    public static Command Jobs(CliConsole console)
    {
        var limit = new Option<int>("--limit") { Description = "Most jobs listed (default 100)", HelpName = "N" };
        var json = CommonOptions.Json();
        var command = ClientCommand.Create(console, "jobs", "List jobs, newest first", async (parse, client, ct) =>
        {
            var jobs = await client.ListJobsAsync(parse.GetValue(limit), ct);
            var now = ClientCommand.NowUnixMs();
            if (parse.GetValue(json))
            {
                console.Out.WriteLine(new JsonArray([.. jobs.Select(j => JobJson.ToJson(j, now))]).ToJsonString());
            }
            else
            {
                console.Tables.Write(Tables.Jobs(jobs, now));
            }

            return ExitCodes.Ok;
        });
        command.Add(limit);
        command.Add(json);
        return command;
    }

    public static Command Status(CliConsole console) =>
        JobVerb(console, "status", "Show one job", (client, id, ct) => client.GetJobAsync(id, ct));

    public static Command Cancel(CliConsole console) =>
        JobVerb(console, "cancel", "Cancel a job", (client, id, ct) => client.CancelAsync(id, ct));

    /// <summary>Prints a job as JSON or as a grid.</summary>
    public static void Show(CliConsole console, JobInfo job, bool json)
    {
        var now = ClientCommand.NowUnixMs();
        if (json)
        {
            console.Out.WriteLine(JobJson.Format(job, now));
        }
        else
        {
            console.Tables.Write(Tables.Job(job, now));
        }
    }

    /// <summary>The job id argument.</summary>
    public static Argument<string> JobArgument() => new("JOB") { Description = "Job id (as printed by submit or jobs)" };

    private static Command JobVerb(
        CliConsole console, string name, string description, Func<Cluster.Client.ClusterClient, string, CancellationToken, Task<JobInfo>> call)
    {
        var job = JobArgument();
        var json = CommonOptions.Json();
        var command = ClientCommand.Create(console, name, description, async (parse, client, ct) =>
        {
            Show(console, await call(client, parse.GetValue(job)!, ct), parse.GetValue(json));
            return ExitCodes.Ok;
        });
        command.Add(job);
        command.Add(json);
        return command;
    }
}
