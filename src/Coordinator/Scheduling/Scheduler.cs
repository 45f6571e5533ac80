using Cluster.Coordinator.Attempts;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Membership;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Scheduling;

/// <summary>
/// Decides which chunk attempt runs where. One lock guards all dispatch state; work is pulled by each worker
/// session's send loop in batches, so the lock is taken once per batch, not once per chunk. Running jobs share
/// workers round robin, one chunk at a time, so no job takes all slots first.
/// </summary>
internal sealed partial class Scheduler(
    JobStore jobs,
    WorkerHealth health,
    IOptions<CoordinatorOptions> options,
    TimeProvider time,
    ILogger<Scheduler> logger)
{
    private readonly Lock _gate = new();
    private readonly List<Job> _running = [];
    private readonly List<WorkerSession> _sessions = [];
    private readonly CoordinatorOptions _options = options.Value;
    private readonly long _tinyChunkMicros = (long)options.Value.TinyChunk.TotalMicroseconds;
    private int _roundRobin;

    /// <summary>Compute threads of all sessions able to take work.</summary>
    public int TotalThreads
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Where(s => !s.Draining).Sum(s => s.Threads);
            }
        }
    }

    public void AddJob(Job job)
    {
        lock (_gate)
        {
            _running.Add(job);
        }

        WakeAll();
    }

    public void AddSession(WorkerSession session)
    {
        lock (_gate)
        {
            _sessions.Add(session);
        }

        session.Wake();
    }

    /// <summary>The worker will take no new work; what it holds still counts until answered.</summary>
    public void MarkDraining(WorkerSession session)
    {
        lock (_gate)
        {
            session.Draining = true;
        }
    }

    /// <summary>Forgets a session; every chunk it held runs again elsewhere, unless it lost too many workers already.</summary>
    public void RemoveSession(WorkerSession session)
    {
        var reason = session.DepartureReason ?? "unknown";
        var lost = new Dictionary<Job, int>();
        List<(Job Job, string Error)>? failed = null;
        lock (_gate)
        {
            session.Closed = true;
            _sessions.Remove(session);
            foreach (var (job, chunk) in session.InFlightChunks)
            {
                var queue = job.Queue;
                if (!queue.TryRemoveAttempt(chunk, session, 0, out var attempt))
                {
                    continue;
                }

                job.Counters.AddRunning(-1);
                job.Counters.CountLost();
                lost[job] = lost.GetValueOrDefault(job) + 1;
                if (!queue.Losses.TryGetValue(chunk, out var losses))
                {
                    queue.Losses[chunk] = losses = [];
                }

                losses.Add($"attempt {attempt.Attempt} on worker {session.WorkerId}: {reason}");
                if (queue.HasOtherAttempt(chunk, session))
                {
                    continue;
                }

                if (losses.Count >= _options.MaxWorkerLosses)
                {
                    (failed ??= []).Add((job, $"Chunk {chunk} was lost {losses.Count} times with the worker running it (the limit is {_options.MaxWorkerLosses}); it may crash its worker:\n" + string.Join("\n", losses)));
                }
                else
                {
                    queue.Requeue(chunk, queue.LastAttempt(chunk, attempt.Attempt));
                }
            }

            session.InFlightChunks.Clear();
            session.InFlight = 0;
        }

        foreach (var (job, count) in lost)
        {
            job.AddEvent($"worker {session.WorkerId} lost ({reason}): {count} running chunks will run elsewhere");
            LogRequeued(logger, job.Id, session.WorkerId, count, reason);
        }

        foreach (var (job, error) in failed ?? [])
        {
            Finish(job, JobState.Failed, error, null);
        }

        WakeAll();
    }

    /// <summary>Hands <paramref name="session"/> as many chunk attempts as it has free slots for.</summary>
    public void TakeWork(WorkerSession session, List<Assignment> into)
    {
        var now = time.GetUtcNow();
        var stamp = time.GetTimestamp();
        lock (_gate)
        {
            if (session.Draining || session.Closed || health.QuarantinedUntil(session.WorkerId) is not null)
            {
                return;
            }

            var idle = 0;
            while (_running.Count > 0 && idle < _running.Count)
            {
                _roundRobin = (_roundRobin + 1) % _running.Count;
                var job = _running[_roundRobin];
                var queue = job.Queue;
                if (session.InFlight >= session.Threads * Depth(queue) || !queue.TryTake(session, this, out var chunk, out var attempt))
                {
                    idle++;
                    continue;
                }

                idle = 0;
                Dispatch(job, chunk, attempt, session, stamp, backup: false, into);
                job.MarkStarted(now);
            }

            if (_options.BackupAttempts)
            {
                TakeBackups(session, stamp, into);
            }
        }
    }

    /// <summary>Applies a batch of results: accepts one attempt per chunk, discards stale ones, retries failures.</summary>
    public void OnResults(WorkerSession session, ReadOnlySpan<ChunkOutcome> results)
    {
        var accepted = new List<(Job Job, ChunkOutcome Result)>(results.Length);
        List<(Job Job, string Error)>? failedJobs = null;
        List<(WorkerSession Session, AttemptRef Chunk)>? losers = null;
        List<(Job Job, string Text)>? events = null;
        var requeued = false;
        lock (_gate)
        {
            foreach (var result in results)
            {
                if (!jobs.TryGet(result.JobId, out var job) || !job.Queue.TryRemoveAttempt(result.Chunk, session, result.Attempt, out var attempt))
                {
                    if (job is not null)
                    {
                        job.Counters.CountStale();
                        job.Touch();
                    }

                    LogStale(logger, result.JobId, result.Chunk, result.Attempt, session.WorkerId);
                    continue;
                }

                var queue = job.Queue;
                var chunk = result.Chunk;
                Release(job, chunk, session);
                switch (result.Kind)
                {
                    case ChunkOutcomeKind.Succeeded when !queue.IsCompleted(chunk):
                        queue.MarkCompleted(chunk);
                        queue.RecordElapsed(result.ElapsedMicros);
                        accepted.Add((job, result));
                        CancelOtherAttempts(job, chunk, ref losers);

                        if (attempt.IsBackup)
                        {
                            (events ??= []).Add((job, $"backup attempt {attempt.Attempt} of chunk {chunk} on worker {session.WorkerId} won"));
                        }

                        ForgiveFailures(queue, chunk, session.WorkerId, ref events, job);
                        break;
                    case ChunkOutcomeKind.Failed:
                        session.CountFailed();
                        job.Counters.CountFailed();
                        var error = RecordFailure(job, session, result);
                        if (error is not null)
                        {
                            (failedJobs ??= []).Add((job, error));
                        }

                        requeued = true;
                        break;
                    case ChunkOutcomeKind.Released when !queue.HasOtherAttempt(chunk, session):
                        queue.Requeue(chunk, queue.LastAttempt(chunk, result.Attempt));
                        requeued = true;
                        break;
                    default:
                        break;
                }
            }
        }

        session.CountCompleted(accepted.Count);
        foreach (var (s, chunk) in losers ?? [])
        {
            s.EnqueueControl(new CancelAttempts([chunk]));
        }

        foreach (var (job, text) in events ?? [])
        {
            job.AddEvent(text);
        }

        foreach (var (job, result) in accepted)
        {
            MergeOne(job, result);
        }

        foreach (var (job, error) in failedJobs ?? [])
        {
            Finish(job, JobState.Failed, error, null);
        }

        // Freed slots are this session's own; other sessions need waking only when work went back to a queue or a
        // loser's slot was freed (a finished job wakes everyone in Finish).
        if (requeued || losers is not null)
        {
            WakeAll();
        }
        else
        {
            session.Wake();
        }
    }

    /// <summary>Cancels a job: drops its queue and tells workers to stop its running attempts.</summary>
    public bool Cancel(Job job, string reason) => Finish(job, JobState.Cancelled, reason, null);

    /// <summary>Fails a job for a reason outside any chunk (its payload could not be produced, say).</summary>
    public void Fail(Job job, string error) => Finish(job, JobState.Failed, error, null);

    /// <summary>Wakes every session's send loop: called on changes, and on a timer so time-based decisions (backups, quarantine ends) are revisited.</summary>
    public void WakeAll()
    {
        WorkerSession[] sessions;
        lock (_gate)
        {
            sessions = [.. _sessions];
        }

        foreach (var session in sessions)
        {
            session.Wake();
        }
    }

    /// <summary>Called under the lock, by <see cref="ChunkQueue.TryTake"/>: whether another usable worker has not yet failed this chunk.</summary>
    internal bool CouldRunElsewhere(ChunkQueue queue, long chunk, WorkerSession session) =>
        _sessions.Exists(s => s != session && !s.Draining && !s.Closed && !queue.FailedOn(chunk, s.WorkerId)
            && health.QuarantinedUntil(s.WorkerId) is null);

    private int Depth(ChunkQueue queue) =>
        queue.MeanElapsedMicros is { } mean && mean < _tinyChunkMicros
            ? _options.InFlightPerThreadForTinyChunks
            : _options.InFlightPerThread;
}
