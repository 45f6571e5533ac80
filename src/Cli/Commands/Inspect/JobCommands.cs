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

    /// <summary>
    /// <c>cluster status JOB [--attempts] [--json]</c>: the job; with <c>--attempts</c> also its attempt log (every
    /// attempt of every chunk that did not succeed at once), as a table after the job or as <c>"attempts"</c> and
    /// <c>"attemptsOmitted"</c> in its JSON.
    /// </summary>
    public static Command Status(CliConsole console)
    {
        var job = JobArgument();
        var json = CommonOptions.Json();
        var attempts = new Option<bool>("--attempts") { Description = "Also list every attempt of every chunk that did not succeed at once: worker, start, end, outcome, error" };
        var command = ClientCommand.Create(console, "status", "Show one job", async (parse, client, ct) =>
        {
            var id = parse.GetValue(job)!;
            var info = await client.GetJobAsync(id, ct);
            if (!parse.GetValue(attempts))
            {
                Show(console, info, parse.GetValue(json));
                return ExitCodes.Ok;
            }

            var log = await client.GetJobAttemptsAsync(id, ct);
            if (parse.GetValue(json))
            {
                var shown = JobJson.ToJson(info, ClientCommand.NowUnixMs());
                shown["attempts"] = AttemptJson.ToJson(log.Attempts);
                shown["attemptsOmitted"] = log.Omitted;
                console.Out.WriteLine(shown.ToJsonString());
                return ExitCodes.Ok;
            }

            Show(console, info, json: false);
            if (log.Attempts.Count == 0)
            {
                console.Out.WriteLine("Every chunk succeeded at its first attempt (or none has ended yet).");
            }
            else
            {
                console.Tables.Write(Tables.Attempts(log.Attempts));
            }

            if (log.Omitted > 0)
            {
                console.Out.WriteLine($"{log.Omitted} more attempts were counted but not kept (Coordinator:AttemptLogLimit).");
            }

            return ExitCodes.Ok;
        });
        command.Add(job);
        command.Add(attempts);
        command.Add(json);
        return command;
    }

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
