using System.Diagnostics;
using Cluster.Coordinator.Dashboard;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Limits;
using Cluster.Coordinator.Membership;
using Cluster.Coordinator.Scheduling;

namespace Cluster.Coordinator.Attempts;

/// <summary>
/// The one owner of every slot and attempt: it starts attempts (normal and backup), ends them (answered, lost with a
/// worker, beaten by another attempt, or dropped with their job), and nothing else changes a session's slot count or
/// a job's running count. A result counts only if its attempt and session are the ones held (the fence, see
/// <see cref="TryEnd"/>). Outcomes that need work beyond the books (failing a job, telling workers) are returned to
/// the caller, which acts on them once the dispatch lock is released.
/// </summary>
internal sealed partial class AttemptLedger(DispatchLock dispatch, RetryPolicy retries, AttemptRecorder recorder, ILogger<AttemptLedger> logger, TimelineBook? timelines = null)
{
    private readonly Dictionary<WorkerSession, SessionSlots> _slots = [];
    private readonly List<Job> _jobs = [];
    private readonly AssignmentMemory _assigned = new();

    /// <summary>Gives a session slots. Under the dispatch lock.</summary>
    public void Open(WorkerSession session)
    {
        Debug.Assert(dispatch.IsHeld, "under the dispatch lock");
        _slots[session] = new SessionSlots(session);
    }

    /// <summary>The slots of a session that has not left. Under the dispatch lock.</summary>
    public SessionSlots? SlotsOf(WorkerSession session) => _slots.GetValueOrDefault(session);

    /// <summary>Attempts a session holds (0 once it left).</summary>
    public int InFlight(WorkerSession session)
    {
        lock (dispatch.Gate)
        {
            return _slots.TryGetValue(session, out var slots) ? slots.InFlight : 0;
        }
    }

    /// <summary>Opens the books of a job about to run. Under the dispatch lock.</summary>
    public void Open(Job job)
    {
        _jobs.Add(job);
        timelines?.Open(job);
    }

    /// <summary>Starts attempt <paramref name="attempt"/> of <paramref name="chunk"/> on a session. Under the dispatch lock.</summary>
    public void Start(Job job, long chunk, int attempt, SessionSlots slots, long stamp, List<Assignment> into)
    {
        job.Attempts.Add(chunk, new RunningAttempt(attempt, slots, stamp, IsBackup: false));
        job.Timeline?.Started(chunk, attempt, slots.Session.WorkerId, backup: false);
        _assigned.Record(slots.Session.WorkerId, slots.Session.Threads, job.Id, chunk, attempt);
        Hold(job, slots);
        if (attempt > 1)
        {
            job.Counters.CountRetried();
        }

        into.Add(new Assignment(job, chunk, attempt) { AfterFailure = attempt > 1 && job.Attempts.HasFailed(chunk) });
    }

    /// <summary>Starts a backup attempt of a straggling chunk beside its <paramref name="first"/> attempt. Under the dispatch lock.</summary>
    public void StartBackup(Job job, long chunk, RunningAttempt first, SessionSlots slots, long stamp, List<Assignment> into)
    {
        var attempt = job.Attempts.LastAttempt(chunk, first.Attempt) + 1;
        job.Attempts.Add(chunk, new RunningAttempt(attempt, slots, stamp, IsBackup: true));
        job.Timeline?.Started(chunk, attempt, slots.Session.WorkerId, backup: true);
        _assigned.Record(slots.Session.WorkerId, slots.Session.Threads, job.Id, chunk, attempt);
        Hold(job, slots);
        job.Counters.CountBackup();
        into.Add(new Assignment(job, chunk, attempt));
        var slowWorker = first.Holder.Session.WorkerId;
        job.AddEvent($"chunk {chunk} straggles on worker {slowWorker}: backup attempt on worker {slots.Session.WorkerId}");
        LogBackup(logger, job.Id, chunk, slowWorker, slots.Session.WorkerId);
    }

    /// <summary>
    /// Whether <paramref name="workerId"/> was ever given this attempt (within <see cref="AssignmentMemory"/>'s bounds):
    /// a result it cannot fence is then stale, otherwise forged. Under the dispatch lock.
    /// </summary>
    public bool WasAssigned(string workerId, string jobId, long chunk, int attempt) => _assigned.WasAssigned(workerId, jobId, chunk, attempt);

    /// <summary>
    /// Ends the attempt <paramref name="slots"/> holds of <paramref name="chunk"/> and frees its slot, if it is attempt
    /// <paramref name="attempt"/>: the fence. False for any other (stale) attempt. Under the dispatch lock.
    /// </summary>
    public static bool TryEnd(Job job, long chunk, int attempt, SessionSlots slots, out RunningAttempt ended)
    {
        if (!job.Attempts.TryRemove(chunk, slots, attempt, out ended))
        {
            return false;
        }

        Free(job, slots);
        return true;
    }

    /// <summary>
    /// A chunk is done: the attempts still running it lose, their slots are freed, they go into the attempt log as
    /// beaten (backup-lost), and they are added to <paramref name="losers"/> to be told to stop. Allocates nothing when,
    /// as for nearly every chunk, there is none. Under the dispatch lock.
    /// </summary>
    public void EndOthers(Job job, long chunk, ref List<LosingAttempt>? losers)
    {
        while (job.Attempts.TryRemoveAny(chunk, out var other))
        {
            Free(job, other.Holder);
            job.Timeline?.Ended(chunk, other, AttemptEnd.Cancelled);
            recorder.Record(job, chunk, other.Attempt, other.Holder.Session.WorkerId, other.StartedAt, AttemptOutcome.BackupLost, "another attempt of the chunk finished first; this one was told to stop");
            (losers ??= []).Add(new LosingAttempt(other.Holder.Session, new AttemptRef(job.Id, chunk, other.Attempt)));
        }
    }

    /// <summary>
    /// Takes back every attempt a departing session held: each chunk runs again elsewhere, unless it was lost with
    /// too many workers already (then its job is returned to fail). Under the dispatch lock.
    /// </summary>
    public LossOutcome Lose(WorkerSession session, string reason)
    {
        Debug.Assert(dispatch.IsHeld, "under the dispatch lock");
        List<(Job, int)> lost = [];
        List<JobToFail> failed = [];
        if (!_slots.Remove(session, out var slots))
        {
            return new LossOutcome(lost, failed);
        }

        foreach (var job in _jobs)
        {
            var held = job.Attempts.HeldBy(slots);
            foreach (var (chunk, attempt) in held)
            {
                TryEnd(job, chunk, attempt.Attempt, slots, out _);
                job.Counters.CountLost();
                job.Timeline?.Ended(chunk, attempt, AttemptEnd.Lost);
                recorder.Record(job, chunk, attempt.Attempt, session.WorkerId, attempt.StartedAt, AttemptOutcome.Lost, reason);
                if (retries.OnLoss(job, chunk, attempt, reason) is { } error)
                {
                    failed.Add(new JobToFail(job, error));
                }
            }

            if (held.Count > 0)
            {
                lost.Add((job, held.Count));
            }
        }

        return new LossOutcome(lost, failed);
    }

    /// <summary>
    /// Closes the books of a finished job: every attempt it still runs is dropped, its slot freed, and logged as
    /// cancelled (a succeeded job runs none by then); returns them by session, for the workers to be told to stop.
    /// Under the dispatch lock.
    /// </summary>
    public Dictionary<WorkerSession, List<AttemptRef>> Close(Job job)
    {
        Debug.Assert(dispatch.IsHeld, "under the dispatch lock");
        _jobs.Remove(job);
        var cancels = new Dictionary<WorkerSession, List<AttemptRef>>();
        foreach (var (chunk, attempt) in job.Attempts.RemoveAll())
        {
            Free(job, attempt.Holder);
            job.Timeline?.Ended(chunk, attempt, AttemptEnd.Cancelled);
            var session = attempt.Holder.Session;
            recorder.Record(job, chunk, attempt.Attempt, session.WorkerId, attempt.StartedAt, AttemptOutcome.Cancelled, $"the job {job.State.ToString().ToLowerInvariant()} while it ran");
            if (!cancels.TryGetValue(session, out var list))
            {
                cancels[session] = list = [];
            }

            list.Add(new AttemptRef(job.Id, chunk, attempt.Attempt));
        }

        return cancels;
    }

    /// <summary>The running attempts a session holds, counted across every open job (for consistency checks).</summary>
    public int CountHeldBy(WorkerSession session)
    {
        lock (dispatch.Gate)
        {
            return _slots.TryGetValue(session, out var slots) ? _jobs.Sum(j => j.Attempts.HeldBy(slots).Count) : 0;
        }
    }

    private static void Hold(Job job, SessionSlots slots)
    {
        slots.Take();
        job.Counters.AddRunning(1);
    }

    private static void Free(Job job, SessionSlots slots)
    {
        slots.Free();
        job.Counters.AddRunning(-1);
    }

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Job {JobId} chunk {ChunkIndex} straggles on worker {SlowWorkerId}: backup attempt on worker {WorkerId}")]
    private static partial void LogBackup(ILogger logger, string jobId, long chunkIndex, string slowWorkerId, string workerId);
}
