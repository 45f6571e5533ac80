using System.Globalization;
using Cluster.Contracts.V1;

namespace Cluster.Cli.Rendering;

/// <summary>The words shown while a job runs, for the live bar and for plain lines.</summary>
internal static class ProgressText
{
    /// <summary>For example <c>12/64 chunks · 3.5 chunks/s · 1 retried</c>.</summary>
    /// <param name="job">The latest snapshot.</param>
    /// <param name="chunksPerSecond">The observed rate, or null before one is known.</param>
    public static string Describe(JobInfo job, double? chunksPerSecond)
    {
        ArgumentNullException.ThrowIfNull(job);
        var text = job.ChunksTotal > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{job.ChunksDone}/{job.ChunksTotal} chunks")
            : "planning";
        if (chunksPerSecond is { } rate && rate > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" · {rate:0.#} chunks/s");
        }

        if (job.RetriedAttempts > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" · {job.RetriedAttempts} retried");
        }

        return text;
    }

    /// <summary>A plain line for a state change: <c>job 3f2a…: running, 0/64 chunks</c>.</summary>
    public static string StateLine(JobInfo job) =>
        $"job {job.JobId}: {JobJson.StateName(job.State)}, {Describe(job, null)}";

    /// <summary>The closing line: <c>Job … succeeded in 1.2 s (64 chunks, 0 retried).</c></summary>
    public static string Summary(JobInfo job, long elapsedMs) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"Job {job.JobId} ({job.Kind}) {JobJson.StateName(job.State)} in {Duration(elapsedMs)} ({job.ChunksTotal} chunks, {job.RetriedAttempts} retried).");

    /// <summary>Milliseconds as <c>850 ms</c>, <c>12.3 s</c> or <c>4 min 05 s</c>.</summary>
    public static string Duration(long milliseconds) => milliseconds switch
    {
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds} ms"),
        < 60_000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000.0:0.0#} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 60_000} min {milliseconds / 1000 % 60:00} s"),
    };
}
