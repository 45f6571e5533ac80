using Cluster.Coordinator.Attempts;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Membership;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Scheduling;

/// <summary>
/// Decides which chunk goes to which worker. Work is pulled by each session's send loop in batches, under the
/// <see cref="DispatchLock"/> taken once per batch. Running jobs share workers round robin, one chunk at a time, so no
/// job takes all slots first; jobs of tiny chunks are pipelined deeper; retries are placed by
/// <see cref="RetryPlacement"/>, backups by the <see cref="StragglerRule"/>; attempts start through the
/// <see cref="AttemptLedger"/>, the only owner of slots.
/// </summary>
internal sealed class Scheduler(
    DispatchLock dispatch,
    AttemptLedger ledger,
    RetryPlacement placement,
    StragglerRule stragglers,
    WorkerHealth health,
    IOptions<CoordinatorOptions> options,
    TimeProvider time)
{
    private readonly List<Job> _running = [];
    private readonly List<WorkerSession> _sessions = [];
    private readonly CoordinatorOptions _options = options.Value;
    private readonly long _queuedMicros = (long)options.Value.QueuedWorkPerThread.TotalMicroseconds;
    private int _roundRobin;

    /// <summary>Compute threads of all sessions able to take work.</summary>
    public int TotalThreads
    {
        get
        {
            lock (dispatch.Gate)
            {
                return _sessions.Where(s => !s.Draining).Sum(s => s.Threads);
            }
        }
    }

    public void AddJob(Job job)
    {
        lock (dispatch.Gate)
        {
            _running.Add(job);
            ledger.Open(job);
        }

        WakeAll();
    }

    /// <summary>Lets chunks [0, <paramref name="count"/>) of a job whose input is arriving be dispatched, and wakes the sessions if that is new.</summary>
    public void Release(Job job, long count)
    {
        bool released;
        lock (dispatch.Gate)
        {
            released = job.Queue.Release(count);
        }

        if (released)
        {
            WakeAll();
        }
    }

    /// <summary>Forgets a finished job: it is offered no more and nothing of it waits. Under the dispatch lock.</summary>
    public void RemoveJob(Job job)
    {
        _running.Remove(job);
        job.Queue.Clear();
    }

    public void AddSession(WorkerSession session)
    {
        lock (dispatch.Gate)
        {
            _sessions.Add(session);
            ledger.Open(session);
        }

        session.Wake();
    }

    /// <summary>Forgets a departing session: it gets nothing more and no retry waits for it. Under the dispatch lock.</summary>
    public void RemoveSession(WorkerSession session)
    {
        session.Closed = true;
        _sessions.Remove(session);
    }

    /// <summary>The worker will take no new work; what it holds still counts until answered.</summary>
    public void MarkDraining(WorkerSession session)
    {
        lock (dispatch.Gate)
        {
            session.Draining = true;
        }
    }

    /// <summary>The sessions able to take work now (a copy).</summary>
    public WorkerSession[] Sessions()
    {
        lock (dispatch.Gate)
        {
            return [.. _sessions];
        }
    }

    /// <summary>Hands <paramref name="session"/> as many chunk attempts as it has free slots for.</summary>
    public void TakeWork(WorkerSession session, List<Assignment> into)
    {
        var now = time.GetUtcNow();
        var stamp = time.GetTimestamp();
        lock (dispatch.Gate)
        {
            if (session.Draining || session.Closed || health.QuarantinedUntil(session.WorkerId) is not null
                || ledger.SlotsOf(session) is not { } slots)
            {
                return;
            }

            var idle = 0;
            while (_running.Count > 0 && idle < _running.Count)
            {
                _roundRobin = (_roundRobin + 1) % _running.Count;
                var job = _running[_roundRobin];
                if (slots.InFlight >= session.Threads * Depth(job) || !placement.TryTake(job, session, _sessions, out var chunk, out var attempt))
                {
                    idle++;
                    continue;
                }

                idle = 0;
                ledger.Start(job, chunk, attempt, slots, stamp, into);
                job.MarkStarted(now);
            }

            if (stragglers.Enabled)
            {
                TakeBackups(slots, stamp, into);
            }
        }
    }

    /// <summary>Wakes every session's send loop: called on changes, and on a timer so time-based decisions (backups, quarantine ends) are revisited.</summary>
    public void WakeAll()
    {
        foreach (var session in Sessions())
        {
            session.Wake();
        }
    }

    // Near the end of a job, a worker with slots no fresh chunk can fill runs a second attempt of a straggler.
    private void TakeBackups(SessionSlots slots, long stamp, List<Assignment> into)
    {
        var threads = slots.Session.Threads;
        foreach (var job in _running)
        {
            if (slots.InFlight >= threads || stragglers.Threshold(job) is not { } threshold)
            {
                continue;
            }

            foreach (var (chunk, first) in job.Attempts.FirstAttempts)
            {
                if (slots.InFlight >= threads)
                {
                    break;
                }

                if (first.Holder != slots && !job.Attempts.HasBackup(chunk) && stragglers.Straggles(first, stamp, threshold))
                {
                    ledger.StartBackup(job, chunk, first, slots, stamp, into);
                }
            }
        }
    }

    // Tiny chunks finish before the next batch could arrive: keep more of them in flight per thread, as many as fill
    // the queued time, so that the round trip is hidden and yet little work waits on any one worker.
    private int Depth(Job job) =>
        job.Attempts.Durations.MeanMicros is { } mean
            ? (int)Math.Clamp(_queuedMicros / Math.Max(mean, 1), _options.InFlightPerThread, _options.InFlightPerThreadForTinyChunks)
            : _options.InFlightPerThread;
}
