using Cluster.Contracts.V1;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Membership;
using Google.Protobuf.Collections;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Scheduling;

/// <summary>
/// Decides which chunk attempt runs where. One lock guards all dispatch state; work is pulled by each worker
/// session's send loop in batches, so the lock is taken once per batch, not once per chunk. Running jobs share
/// workers round robin, one chunk at a time, so no job takes all slots first.
/// </summary>
internal sealed partial class Scheduler(
    JobStore jobs,
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

    /// <summary>Forgets a session and puts every chunk it held back in its job's queue.</summary>
    public void RemoveSession(WorkerSession session)
    {
        var requeued = 0;
        lock (_gate)
        {
            session.Closed = true;
            _sessions.Remove(session);
            foreach (var (job, chunk) in session.InFlightChunks)
            {
                if (job.Queue.InFlight.Remove(chunk, out var attempt))
                {
                    job.Queue.Requeue(chunk, attempt.Attempt);
                    job.ChunksRunning--;
                    job.Touch();
                    requeued++;
                }
            }

            session.InFlightChunks.Clear();
            session.InFlight = 0;
        }

        if (requeued > 0)
        {
            LogRequeued(logger, session.WorkerId, requeued, session.DepartureReason ?? "unknown");
            WakeAll();
        }
    }

    /// <summary>Hands <paramref name="session"/> as many chunk attempts as it has free slots for.</summary>
    public void TakeWork(WorkerSession session, List<Assignment> into)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (session.Draining || session.Closed)
            {
                return;
            }

            var idle = 0;
            while (_running.Count > 0 && idle < _running.Count)
            {
                _roundRobin = (_roundRobin + 1) % _running.Count;
                var job = _running[_roundRobin];
                var queue = job.Queue;
                if (!queue.HasPending || session.InFlight >= session.Threads * Depth(queue))
                {
                    idle++;
                    continue;
                }

                idle = 0;
                var (chunk, attempt) = queue.Take();
                queue.InFlight[chunk] = new InFlightAttempt(attempt, session);
                session.InFlightChunks.Add((job, chunk));
                session.InFlight++;
                job.ChunksRunning++;
                if (attempt > 1)
                {
                    job.RetriedAttempts++;
                }

                job.MarkStarted(now);
                into.Add(new Assignment(job, chunk, attempt));
            }
        }
    }

    /// <summary>Applies a batch of results: accepts current attempts once, discards stale ones, retries failures.</summary>
    public void OnResults(WorkerSession session, RepeatedField<ChunkResult> results)
    {
        var accepted = new List<(Job Job, ChunkResult Result)>(results.Count);
        List<(Job Job, string Error)>? failedJobs = null;
        var requeued = false;
        lock (_gate)
        {
            foreach (var result in results)
            {
                if (!jobs.TryGet(result.JobId, out var job))
                {
                    continue;
                }

                var queue = job.Queue;
                if (!queue.InFlight.TryGetValue(result.ChunkIndex, out var current)
                    || current.Attempt != result.Attempt
                    || current.Session != session)
                {
                    job.StaleResults++;
                    job.Touch();
                    LogStale(logger, job.Id, result.ChunkIndex, result.Attempt, session.WorkerId);
                    continue;
                }

                queue.InFlight.Remove(result.ChunkIndex);
                session.InFlightChunks.Remove((job, result.ChunkIndex));
                session.InFlight--;
                job.ChunksRunning--;
                switch (result.OutcomeCase)
                {
                    case ChunkResult.OutcomeOneofCase.Output when !queue.IsCompleted(result.ChunkIndex):
                        queue.MarkCompleted(result.ChunkIndex);
                        queue.RecordElapsed(result.ElapsedUs);
                        accepted.Add((job, result));
                        break;
                    case ChunkResult.OutcomeOneofCase.Failure:
                        session.CountFailed();
                        var error = RecordFailure(job, session, result);
                        if (error is not null)
                        {
                            (failedJobs ??= []).Add((job, error));
                        }
                        else
                        {
                            requeued = true;
                        }

                        break;
                    case ChunkResult.OutcomeOneofCase.Released:
                        queue.Requeue(result.ChunkIndex, result.Attempt);
                        requeued = true;
                        break;
                    default:
                        break;
                }
            }
        }

        session.CountCompleted(accepted.Count);
        foreach (var (job, result) in accepted)
        {
            MergeOne(job, result);
        }

        foreach (var (job, error) in failedJobs ?? [])
        {
            Finish(job, JobState.Failed, error, null);
        }

        if (requeued)
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

    private void MergeOne(Job job, ChunkResult result)
    {
        try
        {
            if (job.Merge(result.ChunkIndex, result.Output.Span))
            {
                Finish(job, JobState.Succeeded, string.Empty, job.CompleteMerge());
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Finish(job, JobState.Failed, $"Merging chunk {result.ChunkIndex} failed: {ex.GetType().FullName}: {ex.Message}", null);
        }
    }

    private string? RecordFailure(Job job, WorkerSession session, ChunkResult result)
    {
        var failure = result.Failure;
        var queue = job.Queue;
        if (!queue.Failures.TryGetValue(result.ChunkIndex, out var list))
        {
            queue.Failures[result.ChunkIndex] = list = [];
        }

        list.Add($"attempt {result.Attempt} on worker {session.WorkerId}: {failure.ExceptionType}: {failure.Message}\n{failure.StackTrace}");
        LogChunkFailed(logger, job.Id, result.ChunkIndex, result.Attempt, session.WorkerId, failure.ExceptionType, failure.Message);
        if (list.Count < job.MaxAttempts)
        {
            queue.Requeue(result.ChunkIndex, result.Attempt);
            job.Touch();
            return null;
        }

        return $"Chunk {result.ChunkIndex} failed {list.Count} attempts (the limit is {job.MaxAttempts}):\n" + string.Join("\n", list);
    }

    private bool Finish(Job job, JobState state, string error, Cluster.Jobs.JobOutput? output)
    {
        if (!job.TryFinish(state, error, output, time.GetUtcNow()))
        {
            return false;
        }

        var cancels = new Dictionary<WorkerSession, CancelChunks>();
        WorkerSession[] sessions;
        lock (_gate)
        {
            _running.Remove(job);
            foreach (var (chunk, attempt) in job.Queue.InFlight)
            {
                var session = attempt.Session;
                session.InFlightChunks.Remove((job, chunk));
                session.InFlight--;
                if (!cancels.TryGetValue(session, out var cancel))
                {
                    cancels[session] = cancel = new CancelChunks();
                }

                cancel.Chunks.Add(new ChunkRef { JobId = job.Id, ChunkIndex = chunk, Attempt = attempt.Attempt });
            }

            job.Queue.Clear();
            job.ChunksRunning = 0;
            sessions = [.. _sessions];
        }

        foreach (var (session, cancel) in cancels)
        {
            session.EnqueueControl(new CoordinatorMessage { Cancel = cancel });
        }

        foreach (var session in sessions)
        {
            if (session.ForgetJob(job.Id))
            {
                session.EnqueueControl(new CoordinatorMessage { JobClosed = new JobClosed { JobId = job.Id } });
            }
        }

        jobs.OnFinished(job);
        LogFinished(logger, job.Id, state, job.Plan.ChunkCount, job.RetriedAttempts, error);
        WakeAll();
        return true;
    }

    private int Depth(ChunkQueue queue) =>
        queue.MeanElapsedMicros is { } mean && mean < _tinyChunkMicros
            ? _options.InFlightPerThreadForTinyChunks
            : _options.InFlightPerThread;

    private void WakeAll()
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
}
