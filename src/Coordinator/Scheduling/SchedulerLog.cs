using Cluster.Coordinator.Jobs;

namespace Cluster.Coordinator.Scheduling;

internal sealed partial class Scheduler
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Job {JobId}: {Count} chunks held by worker {WorkerId} will run elsewhere: {Reason}")]
    private static partial void LogRequeued(ILogger logger, string jobId, string workerId, int count, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Discarded stale result of job {JobId} chunk {ChunkIndex} attempt {Attempt} from worker {WorkerId}")]
    private static partial void LogStale(ILogger logger, string jobId, long chunkIndex, int attempt, string workerId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Job {JobId} chunk {ChunkIndex} attempt {Attempt} failed on worker {WorkerId}: {ExceptionType}: {ExceptionMessage}")]
    private static partial void LogChunkFailed(ILogger logger, string jobId, long chunkIndex, int attempt, string workerId, string exceptionType, string exceptionMessage);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Job {JobId} finished {State}: {ChunkCount} chunks, {Retried} retried attempts {Error}")]
    private static partial void LogFinished(ILogger logger, string jobId, JobState state, long chunkCount, long retried, string error);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Job {JobId} chunk {ChunkIndex} straggles on worker {SlowWorkerId}: backup attempt on worker {WorkerId}")]
    private static partial void LogBackup(ILogger logger, string jobId, long chunkIndex, string slowWorkerId, string workerId);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Worker {WorkerId} quarantined for {Seconds} s: chunks that fail on it succeed elsewhere")]
    private static partial void LogQuarantined(ILogger logger, string workerId, long seconds);
}
