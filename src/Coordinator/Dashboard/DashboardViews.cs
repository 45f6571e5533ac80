namespace Cluster.Coordinator.Dashboard;

/// <summary>What the dashboard shows at one moment; serialized as camelCase JSON.</summary>
/// <param name="AtUnixMs">When, by the coordinator's clock.</param>
/// <param name="Workers">Connected workers, then the last departed ones.</param>
/// <param name="Jobs">The newest jobs the caller may see (at most 100).</param>
/// <param name="Timeline">The selected job's attempts, when one was asked for and it is kept.</param>
/// <param name="LongChunks">The selected job's attempts running far longer than its median (see <see cref="Dashboard.LongChunks"/>), while it runs.</param>
internal sealed record DashboardState(long AtUnixMs, IReadOnlyList<WorkerView> Workers, IReadOnlyList<JobView> Jobs, TimelineView? Timeline, LongChunksView? LongChunks = null);

/// <summary>
/// One worker: <paramref name="State"/> is connected, draining, quarantined until HH:mm:ss, or departed;
/// <paramref name="CpuPercent"/> is its process's CPU use between its last two heartbeats (100 per busy core) and
/// <paramref name="MemoryMiB"/> its working set, both null until it reported them and once it departed.
/// </summary>
internal sealed record WorkerView(
    string Id,
    string Host,
    int Pid,
    int Threads,
    int Busy,
    long Completed,
    long Failed,
    double ChunksPerSecond,
    string State,
    string Departure,
    long LastSeenUnixMs,
    double? CpuPercent = null,
    double? MemoryMiB = null);

/// <summary>One job, with its rate (chunks merged per second, recently) and the seconds left at that rate.</summary>
internal sealed record JobView(
    string Id,
    string Name,
    string Kind,
    string Owner,
    string State,
    long ChunksTotal,
    long ChunksDone,
    long ChunksRunning,
    double ChunksPerSecond,
    double? EtaSeconds,
    long Retried,
    long Failed,
    long Lost,
    long Backups,
    long Stale,
    string Error,
    IReadOnlyList<string> Events,
    long SubmittedUnixMs,
    long StartedUnixMs,
    long FinishedUnixMs);

/// <summary>A job's attempts kept (<paramref name="Recorded"/> counts every one since it started), with the time now on the same axis.</summary>
internal sealed record TimelineView(string JobId, double NowMs, long Recorded, IReadOnlyList<TimelineAttemptView> Attempts);

/// <summary>One attempt: its lane is <paramref name="Worker"/>'s slot <paramref name="Lane"/>; <paramref name="Outcome"/> is running, done, failed, lost, stale or cancelled.</summary>
internal sealed record TimelineAttemptView(long Chunk, int Attempt, string Worker, int Lane, bool Backup, double StartMs, double? EndMs, string Outcome, string? Error);
