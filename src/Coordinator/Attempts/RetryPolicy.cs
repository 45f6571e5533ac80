using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Membership;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Attempts;

/// <summary>
/// What becomes of a chunk whose attempt ended without a result: it runs again, unless another attempt of it still
/// runs or it reached its job's attempt limit (it keeps throwing) or the loss limit (it keeps taking its worker down),
/// in which case its job fails. A success forgives the workers the chunk failed on, unless they make a habit of it.
/// Called by the <see cref="AttemptLedger"/> under the dispatch lock, after it freed the attempt's slot.
/// </summary>
internal sealed partial class RetryPolicy(WorkerHealth health, IOptions<CoordinatorOptions> options, ILogger<RetryPolicy> logger)
{
    private readonly int _maxWorkerLosses = options.Value.MaxWorkerLosses;

    /// <summary>An attempt threw; returns the job's error when that was the chunk's last allowed attempt.</summary>
    public string? OnFailure(Job job, long chunk, int attempt, SessionSlots holder, AttemptFailure failure)
    {
        var workerId = holder.Session.WorkerId;
        var attempts = job.Attempts;
        var failed = attempts.RecordFailure(chunk, workerId, $"attempt {attempt} on worker {workerId}: {failure.ExceptionType}: {failure.Message}\n{failure.StackTrace}");
        LogChunkFailed(logger, job.Id, chunk, attempt, workerId, failure.ExceptionType, failure.Message);
        if (attempts.HasOtherAttempt(chunk, holder))
        {
            return null;
        }

        if (failed < job.MaxAttempts)
        {
            job.Queue.Requeue(chunk, attempts.LastAttempt(chunk, attempt));
            job.AddEvent($"chunk {chunk} attempt {attempt} failed on worker {workerId} ({failure.ExceptionType}: {failure.Message}); retrying");
            return null;
        }

        return $"Chunk {chunk} failed {failed} attempts (the limit is {job.MaxAttempts}):\n" + attempts.FailureReport(chunk);
    }

    /// <summary>An attempt went with its worker; returns the job's error when the chunk was lost too many times.</summary>
    public string? OnLoss(Job job, long chunk, RunningAttempt attempt, string reason)
    {
        var attempts = job.Attempts;
        var losses = attempts.RecordLoss(chunk, $"attempt {attempt.Attempt} on worker {attempt.Holder.Session.WorkerId}: {reason}");
        if (attempts.HasOtherAttempt(chunk, attempt.Holder))
        {
            return null;
        }

        if (losses >= _maxWorkerLosses)
        {
            return $"Chunk {chunk} was lost {losses} times with the worker running it (the limit is {_maxWorkerLosses}); it may crash its worker:\n" + attempts.LossReport(chunk);
        }

        job.Queue.Requeue(chunk, attempts.LastAttempt(chunk, attempt.Attempt));
        return null;
    }

    /// <summary>The worker gave an attempt back unstarted; returns whether the chunk went back to its queue.</summary>
    public static bool OnRelease(Job job, long chunk, int attempt, SessionSlots holder)
    {
        if (job.Attempts.HasOtherAttempt(chunk, holder))
        {
            return false;
        }

        job.Queue.Requeue(chunk, job.Attempts.LastAttempt(chunk, attempt));
        return true;
    }

    /// <summary>
    /// A chunk succeeded on <paramref name="winner"/>, so the workers it failed on before are the likelier fault; a
    /// worker this quarantines is told of in <paramref name="events"/>, created only then.
    /// </summary>
    public void OnSuccess(Job job, long chunk, string winner, ref List<(Job Job, string Text)>? events)
    {
        if (!job.Attempts.HasFailed(chunk))
        {
            return;
        }

        foreach (var workerId in job.Attempts.FailedWorkers(chunk))
        {
            if (workerId != winner && health.RecordFailureThatSucceededElsewhere(workerId))
            {
                (events ??= []).Add((job, $"worker {workerId} quarantined: chunks that fail on it succeed elsewhere"));
            }
        }
    }

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Job {JobId} chunk {ChunkIndex} attempt {Attempt} failed on worker {WorkerId}: {ExceptionType}: {ExceptionMessage}")]
    private static partial void LogChunkFailed(ILogger logger, string jobId, long chunkIndex, int attempt, string workerId, string exceptionType, string exceptionMessage);
}
