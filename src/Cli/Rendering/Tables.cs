using System.Globalization;
using Cluster.Cli.Commands.Submit;
using Cluster.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cluster.Cli.Rendering;

/// <summary>Spectre tables for the inspection verbs.</summary>
internal static class Tables
{
    public static Table Jobs(IEnumerable<JobInfo> jobs, long nowUnixMs)
    {
        var table = Create("ID", "KIND", "NAME", "OWNER", "STATE", "CHUNKS", "RETRIED", "ELAPSED", "SUBMITTED");
        foreach (var job in jobs)
        {
            table.AddRow(
                Cell(job.JobId),
                Cell(job.Kind),
                Cell(job.Name),
                Cell(job.Owner.Length > 0 ? job.Owner : "-"),
                State(job.State),
                Cell(Invariant($"{job.ChunksDone}/{job.ChunksTotal}")),
                Cell(Invariant($"{job.RetriedAttempts}")),
                Cell(ProgressText.Duration(JobJson.ElapsedMs(job, nowUnixMs))),
                Cell(Time(job.SubmittedUnixMs)));
        }

        return table;
    }

    public static Grid Job(JobInfo job, long nowUnixMs)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string name, IRenderable value) => grid.AddRow(new Markup($"[bold]{name}[/]"), value);
        Row("Job", Cell(job.JobId));
        Row("Kind", Cell(job.Kind));
        if (job.Name.Length > 0)
        {
            Row("Name", Cell(job.Name));
        }

        if (job.Owner.Length > 0)
        {
            Row("Owner", Cell(job.Owner));
        }

        Row("State", State(job.State));
        Row("Chunks", Cell(Invariant($"{job.ChunksDone}/{job.ChunksTotal} done, {job.ChunksRunning} running, {job.RetriedAttempts} retried")));
        Row("Attempts", Cell(Invariant($"{job.FailedAttempts} failed, {job.LostAttempts} lost with workers, {job.BackupAttempts} backups, {job.StaleResults} stale results rejected")));
        Row("Submitted", Cell(Time(job.SubmittedUnixMs)));
        Row("Elapsed", Cell(ProgressText.Duration(JobJson.ElapsedMs(job, nowUnixMs))));
        if (job.InputBytes > 0)
        {
            Row("Input", Cell(Invariant($"{job.InputBytes} bytes")));
        }

        if (job.ResultJson.Length > 0)
        {
            Row("Result", Cell(job.ResultJson));
            Row("Result data", Cell(Invariant($"{job.ResultBytes} bytes, {job.ResultContentType}")));
        }

        if (job.Error.Length > 0)
        {
            Row("Error", new Markup($"[red]{Markup.Escape(job.Error)}[/]"));
        }

        if (job.Events.Count > 0)
        {
            Row("Events", Cell(string.Join(Environment.NewLine, job.Events)));
        }

        return grid;
    }

    public static Table Workers(IEnumerable<WorkerInfo> workers, long nowUnixMs)
    {
        var table = Create("ID", "HOST", "PID", "THREADS", "IN FLIGHT", "COMPLETED", "FAILED", "STATUS", "LAST SEEN");
        foreach (var worker in workers)
        {
            var status = worker.DepartureReason.Length > 0 ? $"{worker.Status} ({worker.DepartureReason})" : worker.Status;
            table.AddRow(
                Cell(worker.WorkerId),
                Cell(worker.Host),
                Cell(Invariant($"{worker.Pid}")),
                Cell(Invariant($"{worker.Threads}")),
                Cell(Invariant($"{worker.InFlight}")),
                Cell(Invariant($"{worker.Completed}")),
                Cell(Invariant($"{worker.Failed}")),
                Cell(status),
                Cell(worker.LastSeenUnixMs > 0 ? ProgressText.Duration(Math.Max(0, nowUnixMs - worker.LastSeenUnixMs)) + " ago" : string.Empty));
        }

        return table;
    }

    /// <summary>A job's attempt log: one row per attempt, in the order they ended; times local, to the millisecond.</summary>
    public static Table Attempts(IEnumerable<ChunkAttempt> attempts)
    {
        var table = Create("CHUNK", "ATTEMPT", "WORKER", "START", "END", "OUTCOME", "ERROR");
        foreach (var attempt in attempts)
        {
            var color = attempt.Outcome switch
            {
                "succeeded" => "green",
                "failed" => "red",
                "lost" => "yellow",
                _ => "grey",
            };
            table.AddRow(
                Cell(Invariant($"{attempt.ChunkIndex}")),
                Cell(Invariant($"{attempt.Attempt}")),
                Cell(attempt.WorkerId),
                Cell(attempt.StartedUnixMs > 0 ? ClockTime(attempt.StartedUnixMs) : "-"),
                Cell(ClockTime(attempt.EndedUnixMs)),
                new Markup($"[{color}]{Markup.Escape(attempt.Outcome)}[/]"),
                Cell(attempt.Error));
        }

        return table;
    }

    public static Table Kinds(IEnumerable<KindInfo> kinds)
    {
        var table = Create("KIND", "BUNDLE", "INPUT", "PARAMETERS", "DESCRIPTION");
        foreach (var kind in kinds)
        {
            var parameters = string.Join(
                Environment.NewLine,
                kind.Parameters.Select(p => $"--{p.Name} <{p.Type}>{(p.Required ? " (required)" : string.Empty)}{(p.DefaultValue.Length > 0 ? " = " + p.DefaultValue : string.Empty)}{(ParameterText.Range(p) is { Length: > 0 } range ? " in " + range : string.Empty)}"));
            table.AddRow(Cell(kind.Name), Cell(kind.BundleId.Length > 0 ? kind.BundleId[..12] : "-"), Cell(kind.TakesInput ? "yes" : "no"), Cell(parameters), Cell(kind.Description));
        }

        return table;
    }

    private static Table Create(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(header));
        }

        return table;
    }

    private static Text Cell(string text) => new(text);

    private static Markup State(JobState state)
    {
        var color = state switch
        {
            JobState.Succeeded => "green",
            JobState.Failed => "red",
            JobState.Cancelled => "yellow",
            _ => "blue",
        };
        return new Markup($"[{color}]{JobJson.StateName(state)}[/]");
    }

    private static string Time(long unixMs) =>
        unixMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : string.Empty;

    private static string ClockTime(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
