using Cluster.Coordinator.Attempts;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Membership;
using Cluster.Coordinator.Scheduling;
using Cluster.Jobs;

namespace Cluster.Coordinator.Merging;

/// <summary>
/// Ends jobs: succeeded (the last chunk merged), failed (a chunk out of attempts, a merge or payload that threw) or
/// cancelled. The first ending wins; it drops the job's queue, releases its attempts through the ledger, tells the
/// workers running them to stop and every worker that knew the job to forget it, and keeps it for status queries.
/// </summary>
internal sealed partial class JobFinisher(
    DispatchLock dispatch,
    Scheduler scheduler,
    AttemptLedger ledger,
    JobStore jobs,
    TimeProvider time,
    ILogger<JobFinisher> logger)
{
    /// <summary>
    /// Ends a job with its result. With a data directory the result's data goes to its file first and only the summary
    /// stays in memory; a result that cannot be written (a full disk) fails the job with a sentence saying so.
    /// </summary>
    public bool Succeed(Job job, JobOutput output)
    {
        if (job.Journal?.Directory is not { } directory)
        {
            return Finish(job, JobState.Succeeded, string.Empty, output);
        }

        if (job.IsFinal)
        {
            return false;
        }

        string path;
        try
        {
            path = directory.WriteResult(job.Id, output.Data.Span);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogResultNotWritten(logger, job.Id, output.Data.Length, ex.Message);
            return Fail(job, $"Its result ({output.Data.Length} bytes) could not be written to {directory.ResultsPath} ({ex.Message.TrimEnd('.')}): free space in the data directory, then resubmit the job.");
        }

        if (Finish(job, JobState.Succeeded, string.Empty, output with { Data = ReadOnlyMemory<byte>.Empty }, path, output.Data.Length))
        {
            return true;
        }

        File.Delete(path);
        return false;
    }

    /// <summary>Fails a job: a chunk ran out of attempts, or something outside any chunk went wrong.</summary>
    public bool Fail(Job job, string error) => Finish(job, JobState.Failed, error, null);

    /// <summary>Cancels a job: drops its queue and tells workers to stop its running attempts.</summary>
    public bool Cancel(Job job, string reason) => Finish(job, JobState.Cancelled, reason, null);

    private bool Finish(Job job, JobState state, string error, JobOutput? output, string? resultFile = null, long resultBytes = 0)
    {
        if (!job.TryFinish(state, error, output, time.GetUtcNow(), resultFile, resultBytes))
        {
            return false;
        }

        Dictionary<WorkerSession, List<AttemptRef>> cancels;
        lock (dispatch.Gate)
        {
            scheduler.RemoveJob(job);
            cancels = ledger.Close(job);
        }

        foreach (var (session, attempts) in cancels)
        {
            session.EnqueueControl(new CancelAttempts(attempts));
        }

        foreach (var session in scheduler.Sessions())
        {
            if (session.ForgetJob(job.Id))
            {
                session.EnqueueControl(new CloseJob(job.Id));
            }
        }

        jobs.OnFinished(job);
        LogFinished(logger, job.Id, state, job.ChunkCount, job.Counters.RetriedAttempts, error);
        scheduler.WakeAll();
        return true;
    }

    [LoggerMessage(EventId = 7100, Level = LogLevel.Error, Message = "Job {JobId}: its result of {Bytes} bytes could not be written to the data directory: {Error}")]
    private static partial void LogResultNotWritten(ILogger logger, string jobId, long bytes, string error);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Job {JobId} finished {State}: {ChunkCount} chunks, {Retried} retried attempts {Error}")]
    private static partial void LogFinished(ILogger logger, string jobId, JobState state, long chunkCount, long retried, string error);
}
