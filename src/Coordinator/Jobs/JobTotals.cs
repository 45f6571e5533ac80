namespace Cluster.Coordinator.Jobs;

/// <summary>Counts summed over jobs: chunks merged and attempts by outcome.</summary>
internal readonly record struct JobTotals(long ChunksDone, long Retried, long Failed, long Lost, long Stale, long Backups)
{
    public static JobTotals Of(Job job) => new(
        job.ChunksDone,
        job.Counters.RetriedAttempts,
        job.Counters.FailedAttempts,
        job.Counters.LostAttempts,
        job.Counters.StaleResults,
        job.Counters.BackupAttempts);

    public static JobTotals operator +(JobTotals a, JobTotals b) => new(
        a.ChunksDone + b.ChunksDone,
        a.Retried + b.Retried,
        a.Failed + b.Failed,
        a.Lost + b.Lost,
        a.Stale + b.Stale,
        a.Backups + b.Backups);
}
