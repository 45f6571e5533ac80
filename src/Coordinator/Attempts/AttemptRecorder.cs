using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Attempts;

/// <summary>
/// Writes an attempt that did not succeed at once (or the retry that did) into its job's <see cref="AttemptLog"/>,
/// bounded by <see cref="CoordinatorOptions.AttemptLogLimit"/>, and queues it for the journal with the job's counters,
/// so both survive a restart. Called under the dispatch lock, only off the happy path: a job whose chunks all succeed
/// at once never reaches it.
/// </summary>
internal sealed class AttemptRecorder(TimeProvider time, IOptions<CoordinatorOptions> options)
{
    private readonly int _limit = options.Value.AttemptLogLimit;

    /// <summary>
    /// Logs attempt <paramref name="attempt"/> of <paramref name="chunk"/> on <paramref name="workerId"/>, started at
    /// the timestamp <paramref name="startedStamp"/> (of this recorder's <see cref="TimeProvider"/>; null if unknown) and
    /// ended now.
    /// </summary>
    public void Record(Job job, long chunk, int attempt, string workerId, long? startedStamp, AttemptOutcome outcome, string error)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? started = startedStamp is { } stamp ? now - time.GetElapsedTime(stamp) : null;
        var entry = new AttemptRecord(chunk, attempt, workerId, started, now, outcome, AttemptRecord.Cut(error));
        var kept = job.AttemptLog.Add(entry, _limit);
        job.Journal?.Attempt(job, entry, kept);
    }

    /// <summary>Logs a success when its chunk did not succeed at once: a retry, a backup, or after a failure or loss.</summary>
    public void Succeeded(Job job, long chunk, RunningAttempt attempt, string workerId)
    {
        if (attempt.Attempt > 1 || attempt.IsBackup || job.Attempts.HasFaults(chunk))
        {
            Record(job, chunk, attempt.Attempt, workerId, attempt.StartedAt, AttemptOutcome.Succeeded, string.Empty);
        }
    }
}
