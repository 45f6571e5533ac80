namespace Cluster.Coordinator.Jobs;

/// <summary>
/// How a job's attempts went, for status queries. Only the coordinator's dispatch side changes them, and always under
/// its one dispatch lock, so a plain read-modify-write there cannot lose an update; each write is volatile and each
/// read too, so a status query on any other thread sees a whole, recent value without taking that lock.
/// </summary>
internal sealed class JobCounters
{
    private long _running;
    private long _retried;
    private long _stale;
    private long _failed;
    private long _lost;
    private long _backups;
    private long _resent;

    /// <summary>Attempts sent to workers and not yet answered, lost or released.</summary>
    public long ChunksRunning => Volatile.Read(ref _running);

    /// <summary>Attempts after the first of their chunk (retries after failures, losses or releases), backups excluded.</summary>
    public long RetriedAttempts => Volatile.Read(ref _retried);

    /// <summary>Results discarded because their attempt was no longer the one held.</summary>
    public long StaleResults => Volatile.Read(ref _stale);

    /// <summary>Attempts that threw.</summary>
    public long FailedAttempts => Volatile.Read(ref _failed);

    /// <summary>Attempts lost with the worker running them.</summary>
    public long LostAttempts => Volatile.Read(ref _lost);

    /// <summary>Second attempts started for straggling chunks.</summary>
    public long BackupAttempts => Volatile.Read(ref _backups);

    /// <summary>Results of attempts assigned before the coordinator restarted, resent by their worker on rejoin and merged.</summary>
    public long ResentMerged => Volatile.Read(ref _resent);

    // Writers: under the dispatch lock only (see the summary).
    internal void AddRunning(long delta) => Volatile.Write(ref _running, _running + delta);

    internal void CountRetried() => Volatile.Write(ref _retried, _retried + 1);

    internal void CountStale() => Volatile.Write(ref _stale, _stale + 1);

    internal void CountFailed() => Volatile.Write(ref _failed, _failed + 1);

    internal void CountLost() => Volatile.Write(ref _lost, _lost + 1);

    internal void CountBackup() => Volatile.Write(ref _backups, _backups + 1);

    internal void CountResent() => Volatile.Write(ref _resent, _resent + 1);

    /// <summary>Start-up: the counts the journal kept for the job (running attempts start from none).</summary>
    internal void Restore(long retried, long stale, long failed, long lost, long backups, long resent)
    {
        Volatile.Write(ref _retried, retried);
        Volatile.Write(ref _stale, stale);
        Volatile.Write(ref _failed, failed);
        Volatile.Write(ref _lost, lost);
        Volatile.Write(ref _backups, backups);
        Volatile.Write(ref _resent, resent);
    }
}
