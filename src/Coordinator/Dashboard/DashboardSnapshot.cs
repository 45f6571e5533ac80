using Cluster.Coordinator.Api;
using Cluster.Coordinator.Attempts;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Membership;
using Cluster.Coordinator.Security;

namespace Cluster.Coordinator.Dashboard;

/// <summary>
/// Builds what the dashboard shows from the coordinator's own books (workers, jobs, the attempt ledger, timelines),
/// only when asked: nothing is computed while no dashboard is open.
/// </summary>
internal sealed class DashboardSnapshot(WorkerRegistry workers, WorkerHealth health, AttemptLedger ledger, JobStore jobs, TimeProvider time, LongChunks? longChunks = null)
{
    /// <summary>Jobs listed at most, the newest first.</summary>
    public const int MaxJobs = 100;

    /// <summary>Latest events shown per job.</summary>
    public const int EventsShown = 10;

    private readonly Lock _gate = new();
    private readonly RateSampler _rates = new(time);

    /// <summary>The state <paramref name="caller"/> may see, with the timeline of <paramref name="timelineJobId"/> if it is given and kept.</summary>
    public DashboardState Build(Caller caller, string? timelineJobId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        lock (_gate)
        {
            _rates.BeginSweep();
            var state = new DashboardState(time.GetUtcNow().ToUnixTimeMilliseconds(), Workers(), Jobs(caller), Timeline(caller, timelineJobId), Long(caller, timelineJobId));
            _rates.EndSweep();
            return state;
        }
    }

    /// <summary>The job <paramref name="jobId"/>, if <paramref name="caller"/> may see it.</summary>
    public Job? Find(Caller caller, string jobId) =>
        jobs.TryGet(jobId, out var job) && caller.MaySee(job.Owner) ? job : null;

    private LongChunksView? Long(Caller caller, string? jobId) =>
        longChunks is not null && jobId is not null && Find(caller, jobId) is { IsFinal: false } job ? longChunks.Find(job) : null;

    private List<WorkerView> Workers()
    {
        var list = new List<WorkerView>();
        foreach (var s in workers.Connected.OrderBy(s => s.WorkerId, StringComparer.Ordinal))
        {
            var info = WorkerMapping.ToInfo(s, health.QuarantinedUntil(s.WorkerId), ledger.InFlight(s));
            var rate = _rates.Rate("w:" + s.SessionId, s.Completed);
            var (cpu, workingSet) = s.Usage;
            double? memory = workingSet > 0 ? Math.Round(workingSet / 1048576.0, 1) : null;
            list.Add(new WorkerView(s.WorkerId, s.Host, s.Pid, s.Threads, info.InFlight, s.Completed, s.Failed, rate, info.Status, info.DepartureReason, info.LastSeenUnixMs, cpu is { } c ? Math.Round(c, 1) : null, memory));
        }

        foreach (var d in workers.Departed)
        {
            list.Add(new WorkerView(d.WorkerId, d.Host, d.Pid, d.Threads, 0, d.Completed, d.Failed, 0, "departed", d.DepartureReason, d.LastSeen.ToUnixTimeMilliseconds()));
        }

        return list;
    }

    private List<JobView> Jobs(Caller caller)
    {
        var list = new List<JobView>();
        foreach (var job in jobs.List(MaxJobs, j => caller.MaySee(j.Owner)))
        {
            var state = job.State;
            var done = job.ChunksDone;
            var c = job.Counters;
            var rate = job.IsFinal ? 0 : _rates.Rate("j:" + job.Id, done);
            double? eta = state == JobState.Running && rate > 0 ? (job.ChunkCount - done) / rate : null;
            list.Add(new JobView(
                job.Id,
                job.Name,
                job.KindName,
                job.Owner,
                state.ToString().ToLowerInvariant(),
                job.ChunkCount,
                done,
                c.ChunksRunning,
                rate,
                eta,
                c.RetriedAttempts,
                c.FailedAttempts,
                c.LostAttempts,
                c.BackupAttempts,
                c.StaleResults,
                job.Error,
                [.. job.RecentEvents.TakeLast(EventsShown).Select(e => e.Text)],
                job.SubmittedAt.ToUnixTimeMilliseconds(),
                job.StartedAt?.ToUnixTimeMilliseconds() ?? 0,
                job.FinishedAt?.ToUnixTimeMilliseconds() ?? 0));
        }

        return list;
    }

    private TimelineView? Timeline(Caller caller, string? jobId)
    {
        if (string.IsNullOrEmpty(jobId) || Find(caller, jobId) is not { Timeline: { } timeline })
        {
            return null;
        }

        var attempts = timeline.Snapshot()
            .Select(a => new TimelineAttemptView(a.Chunk, a.Attempt, a.WorkerId, a.Lane, a.Backup, a.StartMs, a.EndMs, a.End.ToString().ToLowerInvariant(), a.Error))
            .ToList();
        return new TimelineView(jobId, timeline.Now(), timeline.Recorded, attempts);
    }
}
