using Cluster.Coordinator.Jobs;

namespace Cluster.Coordinator.Journal;

/// <summary>A job's attempt counters (see <see cref="JobCounters"/>) and its attempt log's omitted count, as journalled.</summary>
internal readonly record struct JournalCounts(long Retried, long Stale, long Failed, long Lost, long Backups, long Resent, long Omitted)
{
    public static JournalCounts Of(Job job)
    {
        var c = job.Counters;
        return new(c.RetriedAttempts, c.StaleResults, c.FailedAttempts, c.LostAttempts, c.BackupAttempts, c.ResentMerged, job.AttemptLog.Omitted);
    }

    /// <summary>Puts the counts back into a job restored at start-up.</summary>
    public void RestoreInto(Job job, IEnumerable<Attempts.AttemptRecord> logged)
    {
        job.Counters.Restore(Retried, Stale, Failed, Lost, Backups, Resent);
        job.AttemptLog.Restore(logged, Omitted);
    }
}
