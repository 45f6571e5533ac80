using Cluster.Coordinator.Attempts;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Membership;
using Cluster.Jobs;

namespace Cluster.Coordinator.Scheduling;

/// <summary>Attempt bookkeeping: dispatch, backups for stragglers, failures, and finishing a job.</summary>
internal sealed partial class Scheduler
{
    // Called under _gate.
    private static void Dispatch(Job job, long chunk, int attempt, WorkerSession session, long stamp, bool backup, List<Assignment> into)
    {
        var entry = new InFlightAttempt(attempt, session, stamp, backup);
        if (backup)
        {
            job.Queue.Backups[chunk] = entry;
            job.Counters.CountBackup();
        }
        else
        {
            job.Queue.InFlight[chunk] = entry;
        }

        session.InFlightChunks.Add((job, chunk));
        session.InFlight++;
        job.Counters.AddRunning(1);
        if (attempt > 1 && !backup)
        {
            job.Counters.CountRetried();
        }

        into.Add(new Assignment(job, chunk, attempt));
    }

    // Called under _gate: frees the slot an attempt held on its session.
    private static void Release(Job job, long chunk, WorkerSession session)
    {
        session.InFlightChunks.Remove((job, chunk));
        session.InFlight--;
        job.Counters.AddRunning(-1);
    }

    /// <summary>
    /// Near the end of a job, when this worker has slots no fresh chunk can fill, starts a second attempt of any chunk
    /// running far longer than the job's median (MapReduce's backup tasks); the first result wins.
    /// </summary>
    private void TakeBackups(WorkerSession session, long stamp, List<Assignment> into)
    {
        foreach (var job in _running)
        {
            var queue = job.Queue;
            if (session.InFlight >= session.Threads || !job.Kind.AllowsBackupAttempts || queue.HasPending || queue.InFlight.Count == 0
                || queue.MedianElapsedMicros is not { } median)
            {
                continue;
            }

            // One queued chunk's wait is allowed for: with pipelining, a chunk may sit behind another before it starts.
            var threshold = TimeSpan.FromMicroseconds((median * _options.BackupAfterMedians) + median);
            threshold = threshold < _options.BackupMinimumRunTime ? _options.BackupMinimumRunTime : threshold;
            foreach (var (chunk, first) in queue.InFlight)
            {
                if (session.InFlight >= session.Threads)
                {
                    break;
                }

                if (first.Session != session && !queue.Backups.ContainsKey(chunk) && time.GetElapsedTime(first.DispatchedAt, stamp) > threshold)
                {
                    Dispatch(job, chunk, queue.LastAttempt(chunk, first.Attempt) + 1, session, stamp, backup: true, into);
                    job.AddEvent($"chunk {chunk} straggles on worker {first.Session.WorkerId}: backup attempt on worker {session.WorkerId}");
                    LogBackup(logger, job.Id, chunk, first.Session.WorkerId, session.WorkerId);
                }
            }
        }
    }

    // Called under _gate once a chunk is done: the losing attempt, if any, is told to stop. Allocates nothing when,
    // as for nearly every chunk, there is none.
    private static void CancelOtherAttempts(Job job, long chunk, ref List<(WorkerSession, AttemptRef)>? losers)
    {
        var queue = job.Queue;
        if (queue.InFlight.Remove(chunk, out var first))
        {
            Release(job, chunk, first.Session);
            (losers ??= []).Add((first.Session, new AttemptRef(job.Id, chunk, first.Attempt)));
        }

        if (queue.Backups.Remove(chunk, out var backup))
        {
            Release(job, chunk, backup.Session);
            (losers ??= []).Add((backup.Session, new AttemptRef(job.Id, chunk, backup.Attempt)));
        }
    }

    // Called under _gate: a chunk succeeded, so workers it failed on before are the likelier fault.
    private void ForgiveFailures(ChunkQueue queue, long chunk, string winner, ref List<(Job, string)>? events, Job job)
    {
        if (!queue.Failures.TryGetValue(chunk, out var failures))
        {
            return;
        }

        foreach (var workerId in failures.Select(f => f.WorkerId).Where(w => w != winner).Distinct())
        {
            if (health.RecordFailureThatSucceededElsewhere(workerId))
            {
                (events ??= []).Add((job, $"worker {workerId} quarantined: chunks that fail on it succeed elsewhere"));
                LogQuarantined(logger, workerId, (long)_options.QuarantineDuration.TotalSeconds);
            }
        }
    }

    // Called under _gate.
    private string? RecordFailure(Job job, WorkerSession session, ChunkOutcome result)
    {
        var failure = result.Failure!;
        var queue = job.Queue;
        if (!queue.Failures.TryGetValue(result.Chunk, out var list))
        {
            queue.Failures[result.Chunk] = list = [];
        }

        list.Add((session.WorkerId, $"attempt {result.Attempt} on worker {session.WorkerId}: {failure.ExceptionType}: {failure.Message}\n{failure.StackTrace}"));
        LogChunkFailed(logger, job.Id, result.Chunk, result.Attempt, session.WorkerId, failure.ExceptionType, failure.Message);
        if (queue.HasOtherAttempt(result.Chunk, session))
        {
            return null;
        }

        if (list.Count < job.MaxAttempts)
        {
            queue.Requeue(result.Chunk, queue.LastAttempt(result.Chunk, result.Attempt));
            job.AddEvent($"chunk {result.Chunk} attempt {result.Attempt} failed on worker {session.WorkerId} ({failure.ExceptionType}: {failure.Message}); retrying");
            return null;
        }

        return $"Chunk {result.Chunk} failed {list.Count} attempts (the limit is {job.MaxAttempts}):\n" + string.Join("\n", list.Select(f => f.Text));
    }

    private void MergeOne(Job job, ChunkOutcome result)
    {
        try
        {
            if (job.Merge(result.Chunk, result.Output.Span))
            {
                Finish(job, JobState.Succeeded, string.Empty, job.CompleteMerge());
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Finish(job, JobState.Failed, $"Merging chunk {result.Chunk} failed: {ex.GetType().FullName}: {ex.Message}", null);
        }
    }

    private bool Finish(Job job, JobState state, string error, JobOutput? output)
    {
        if (!job.TryFinish(state, error, output, time.GetUtcNow()))
        {
            return false;
        }

        var cancels = new Dictionary<WorkerSession, List<AttemptRef>>();
        WorkerSession[] sessions;
        lock (_gate)
        {
            _running.Remove(job);
            foreach (var attempts in new[] { job.Queue.InFlight, job.Queue.Backups })
            {
                foreach (var (chunk, attempt) in attempts)
                {
                    var session = attempt.Session;
                    session.InFlightChunks.Remove((job, chunk));
                    session.InFlight--;
                    if (!cancels.TryGetValue(session, out var cancel))
                    {
                        cancels[session] = cancel = [];
                    }

                    cancel.Add(new AttemptRef(job.Id, chunk, attempt.Attempt));
                }
            }

            job.Queue.Clear();
            job.Counters.AddRunning(-job.Counters.ChunksRunning);
            sessions = [.. _sessions];
        }

        foreach (var (session, cancel) in cancels)
        {
            session.EnqueueControl(new CancelAttempts(cancel));
        }

        foreach (var session in sessions)
        {
            if (session.ForgetJob(job.Id))
            {
                session.EnqueueControl(new CloseJob(job.Id));
            }
        }

        jobs.OnFinished(job);
        LogFinished(logger, job.Id, state, job.Plan.ChunkCount, job.Counters.RetriedAttempts, error);
        WakeAll();
        return true;
    }
}
