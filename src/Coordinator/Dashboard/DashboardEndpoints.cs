using System.Text.Json;
using Cluster.Coordinator.Diagnostics;
using Cluster.Coordinator.Limits;
using Cluster.Coordinator.Merging;
using Cluster.Coordinator.Observability;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Dashboard;

/// <summary>
/// The dashboard's addresses on the HTTP port, all behind its gate (<see cref="HttpPortAccess"/>): the page at <c>/</c>
/// and its files under <c>/dashboard/</c>; <c>/dashboard/api/state</c> (JSON, once), <c>/dashboard/api/stream</c>
/// (server-sent events, one state per <see cref="DashboardOptions.UpdateInterval"/> while the page is open), both with
/// <c>?job=ID</c> for that job's timeline; <c>POST /dashboard/api/jobs/ID/cancel</c> for the caller's own jobs (any job for
/// an admin), the rule CancelJob follows; <c>GET /dashboard/api/jobs/ID/stacks[?chunk=N]</c>, the same jobs' stacks.
/// </summary>
internal static partial class DashboardEndpoints
{
    /// <summary>The header a cancel must carry: a page of another site cannot send it without a CORS preflight, which is never granted.</summary>
    public const string RequestHeader = "X-Cluster-Dashboard";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapGet("/", () => Asset("index.html"));
        app.MapGet(ObservabilityServices.DashboardPath + "/{file}", (string file) => Asset(file));
        app.MapGet(ObservabilityServices.DashboardPath + "/api/state", (HttpContext context, DashboardSnapshot snapshot, string? job) =>
            Results.Json(snapshot.Build(HttpPortAccess.CallerOf(context), job), Json));
        app.MapGet(ObservabilityServices.DashboardPath + "/api/stream", StreamAsync);
        app.MapPost(ObservabilityServices.DashboardPath + "/api/jobs/{id}/cancel", Cancel);
        app.MapGet(ObservabilityServices.DashboardPath + "/api/jobs/{id}/stacks", StacksAsync);
        return app;
    }

    private static IResult Asset(string file) =>
        DashboardAssets.Find(file) is { } asset ? Results.Bytes(asset.Content, asset.ContentType) : Results.NotFound();

    private static IResult Cancel(string id, HttpContext context, DashboardSnapshot snapshot, JobFinisher finisher, ILoggerFactory loggers)
    {
        if (!context.Request.Headers.ContainsKey(RequestHeader))
        {
            return Results.BadRequest($"header {RequestHeader}: is required on a cancel (it keeps other sites' pages from cancelling jobs)");
        }

        if (!JobIds.IsValid(id))
        {
            return Results.BadRequest($"job id: must be 32 lowercase hexadecimal characters (got {id.Length} characters)");
        }

        var caller = HttpPortAccess.CallerOf(context);
        if (snapshot.Find(caller, id) is not { } job)
        {
            return Results.NotFound($"job id: no job '{id}' is known to this coordinator");
        }

        var cancelled = finisher.Cancel(job, "cancelled by a user request (dashboard)");
        var logger = loggers.CreateLogger(typeof(DashboardEndpoints));
        LogCancel(logger, id, caller.Name, cancelled);
        return Results.Json(new { id, state = job.State.ToString().ToLowerInvariant(), cancelled }, Json);
    }

    /// <summary>
    /// The stacks of a running job's attempts (of one chunk with <c>?chunk=N</c>), as <c>cluster stack</c> takes them:
    /// each worker holding one writes and reads a dump of itself, so the page must send <see cref="RequestHeader"/>.
    /// </summary>
    private static async Task<IResult> StacksAsync(string id, long? chunk, HttpContext context, DashboardSnapshot snapshot, StackQuery stacks)
    {
        if (!context.Request.Headers.ContainsKey(RequestHeader))
        {
            return Results.BadRequest($"header {RequestHeader}: is required to take stacks (each makes the workers write a dump of themselves)");
        }

        if (!JobIds.IsValid(id))
        {
            return Results.BadRequest($"job id: must be 32 lowercase hexadecimal characters (got {id.Length} characters)");
        }

        if (snapshot.Find(HttpPortAccess.CallerOf(context), id) is not { } job)
        {
            return Results.NotFound($"job id: no job '{id}' is known to this coordinator");
        }

        if (chunk is { } c && (c < 0 || c >= job.ChunkCount))
        {
            return Results.BadRequest($"chunk: must be between 0 and {job.ChunkCount - 1}, the job's chunks (got {c})");
        }

        if (job.IsFinal)
        {
            return Results.Conflict($"job id: job '{id}' is {job.State.ToString().ToLowerInvariant()}: nothing of it runs any more");
        }

        return Results.Json(await stacks.QueryAsync(job, chunk, context.RequestAborted).ConfigureAwait(false), Json);
    }

    private static async Task StreamAsync(
        HttpContext context,
        DashboardSnapshot snapshot,
        DashboardStreams streams,
        IOptions<DashboardOptions> options,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggers,
        string? job)
    {
        var logger = loggers.CreateLogger(typeof(DashboardEndpoints));
        if (!streams.TryEnter())
        {
            LogStreamRefused(logger, options.Value.MaxStreams);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync($"at most {options.Value.MaxStreams} dashboard streams may be open ({DashboardOptions.Section}:{nameof(DashboardOptions.MaxStreams)})", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // A stream ends with the page, or with the coordinator (shutdown must not wait for open pages).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var caller = HttpPortAccess.CallerOf(context);
        LogStreamOpened(logger, caller.Name, streams.Open);
        try
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            while (!stop.IsCancellationRequested)
            {
                var state = JsonSerializer.Serialize(snapshot.Build(caller, job), Json);
                await context.Response.WriteAsync("data: " + state + "\n\n", stop.Token).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
                await Task.Delay(options.Value.UpdateInterval, time, stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The page closed or the coordinator stops: the stream simply ends.
        }
        finally
        {
            streams.Exit();
            LogStreamClosed(logger, caller.Name, streams.Open);
        }
    }

    [LoggerMessage(EventId = 8100, Level = LogLevel.Debug, Message = "Dashboard stream opened by '{Caller}' ({Open} open)")]
    private static partial void LogStreamOpened(ILogger logger, string caller, int open);

    [LoggerMessage(EventId = 8101, Level = LogLevel.Debug, Message = "Dashboard stream of '{Caller}' closed ({Open} open)")]
    private static partial void LogStreamClosed(ILogger logger, string caller, int open);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Warning, Message = "Dashboard stream refused: {MaxStreams} are open already (Coordinator:Dashboard:MaxStreams)")]
    private static partial void LogStreamRefused(ILogger logger, int maxStreams);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Information, Message = "Job {JobId} cancel from the dashboard by '{Caller}' (cancelled: {Cancelled})")]
    private static partial void LogCancel(ILogger logger, string jobId, string caller, bool cancelled);
}
