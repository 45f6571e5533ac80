using Cluster.Coordinator.Attempts;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Scheduling;

/// <summary>
/// Which running chunk deserves a backup attempt (MapReduce's backup tasks): near the end of a job (nothing left to
/// send), one whose first attempt has run far longer than the job's median chunk, and at least a minimum time, since
/// backups are for long chunks. The first result of either attempt wins.
/// </summary>
internal sealed class StragglerRule(IOptions<CoordinatorOptions> options, TimeProvider time)
{
    private readonly CoordinatorOptions _options = options.Value;

    /// <summary>Whether backups are on at all.</summary>
    public bool Enabled => _options.BackupAttempts;

    /// <summary>How long a chunk of <paramref name="job"/> may run before it straggles, or null when none can yet.</summary>
    public TimeSpan? Threshold(Job job)
    {
        if (!job.AllowsBackupAttempts || job.Queue.HasPending || job.Attempts.FirstAttempts.Count == 0
            || job.Attempts.Durations.MedianMicros is not { } median)
        {
            return null;
        }

        // One queued chunk's wait is allowed for: with pipelining, a chunk may sit behind another before it starts.
        var threshold = TimeSpan.FromMicroseconds((median * _options.BackupAfterMedians) + median);
        return threshold < _options.BackupMinimumRunTime ? _options.BackupMinimumRunTime : threshold;
    }

    /// <summary>Whether <paramref name="first"/>, still running at <paramref name="stamp"/>, straggles past <paramref name="threshold"/>.</summary>
    public bool Straggles(RunningAttempt first, long stamp, TimeSpan threshold) => time.GetElapsedTime(first.StartedAt, stamp) > threshold;
}
