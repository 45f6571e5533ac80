using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Contracts.V1;

namespace Cluster.Cli.Rendering;

/// <summary>The one JSON shape the CLI prints for a job (<c>submit --json</c>, <c>status --json</c>, <c>jobs --json</c>).</summary>
internal static class JobJson
{
    /// <summary>
    /// <c>{"jobId","kind","owner","state","result","chunks","retriedAttempts","elapsedMs","failedAttempts","lostAttempts",
    /// "backupAttempts","staleResults","submittedUnixMs","startedUnixMs","finishedUnixMs","error"}</c>; <c>result</c> is the
    /// job's result summary as an object (null until it succeeded), <c>owner</c> the name of the token that
    /// submitted it (empty on a coordinator without tokens), <c>error</c> appears only when there is one.
    /// </summary>
    /// <param name="job">The job.</param>
    /// <param name="nowUnixMs">The current time, for the elapsed time of a job still running.</param>
    public static JsonObject ToJson(JobInfo job, long nowUnixMs)
    {
        ArgumentNullException.ThrowIfNull(job);
        var json = new JsonObject
        {
            ["jobId"] = job.JobId,
            ["kind"] = job.Kind,
            ["owner"] = job.Owner,
            ["state"] = StateName(job.State),
            ["result"] = ParseResult(job.ResultJson),
            ["chunks"] = job.ChunksTotal,
            ["retriedAttempts"] = job.RetriedAttempts,
            ["elapsedMs"] = ElapsedMs(job, nowUnixMs),
            ["failedAttempts"] = job.FailedAttempts,
            ["lostAttempts"] = job.LostAttempts,
            ["backupAttempts"] = job.BackupAttempts,
            ["staleResults"] = job.StaleResults,
            ["submittedUnixMs"] = job.SubmittedUnixMs,
            ["startedUnixMs"] = job.StartedUnixMs,
            ["finishedUnixMs"] = job.FinishedUnixMs,
        };
        if (!string.IsNullOrEmpty(job.Error))
        {
            json["error"] = job.Error;
        }

        return json;
    }

    /// <summary>The job as one line of JSON.</summary>
    public static string Format(JobInfo job, long nowUnixMs) => ToJson(job, nowUnixMs).ToJsonString();

    /// <summary>The state in lower case: pending, running, succeeded, failed, cancelled.</summary>
    public static string StateName(JobState state) => state.ToString().ToLowerInvariant();

    /// <summary>Time from submission to the end, or to now while the job runs; 0 before submission is known.</summary>
    public static long ElapsedMs(JobInfo job, long nowUnixMs)
    {
        if (job.SubmittedUnixMs <= 0)
        {
            return 0;
        }

        var end = job.FinishedUnixMs > 0 ? job.FinishedUnixMs : nowUnixMs;
        return Math.Max(0, end - job.SubmittedUnixMs);
    }

    private static JsonNode? ParseResult(string resultJson)
    {
        if (string.IsNullOrWhiteSpace(resultJson))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(resultJson);
        }
        catch (JsonException)
        {
            // The summary is the coordinator's promise of a JSON object; if it broke it, show the text rather than nothing.
            return JsonValue.Create(resultJson);
        }
    }
}
