using Cluster.Coordinator.Dashboard;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Journal;
using Cluster.Coordinator.Membership;
using Cluster.Coordinator.Observability;
using Cluster.Coordinator.Scheduling;

namespace Cluster.Coordinator.Attempts;

/// <summary>
/// Judges a batch of results from one session under one take of the dispatch lock: the first success of each chunk
/// is accepted (its other attempts lose), a failure counts against the retry limit, a release goes back to the
/// queue, and a result whose attempt is no longer held is stale. A result the worker carried over from a session of an
/// earlier coordinator epoch (assigned before a restart) is merged if its chunk is not merged yet (see
/// <see cref="TryAcceptResent"/>). Slots change only through the <see cref="AttemptLedger"/>.
/// </summary>
internal sealed partial class ResultIntake(
    DispatchLock dispatch,
    AttemptLedger ledger,
    RetryPolicy retries,
    AttemptRecorder recorder,
    JobStore jobs,
    ChunkMetrics metrics,
    CoordinatorJournal journal,
    ILogger<ResultIntake> logger)
{
    private readonly long _epoch = journal.Epoch;

    /// <summary>Applies <paramref name="results"/>; what remains to do after the lock (merging, failing, telling workers) is returned.</summary>
    /// <remarks>Allocates one list per batch, and nothing per accepted result unless an attempt loses or an event is told.</remarks>
    public ResultsOutcome Apply(WorkerSession session, ReadOnlySpan<ChunkOutcome> results)
    {
        var accepted = new List<AcceptedChunk>(results.Length);
        List<LosingAttempt>? losers = null;
        List<JobToFail>? failed = null;
        List<(Job, string)>? events = null;
        var requeued = false;
        ForgedResult? forged = null;
        long outputBytes = 0;
        List<(Job Job, int Count)>? resent = null;
        lock (dispatch.Gate)
        {
            var slots = ledger.SlotsOf(session);
            Job? job = null;
            foreach (ref readonly var result in results)
            {
                // Results come in runs of one job: it is looked up once per run.
                if (job is null || !string.Equals(job.Id, result.JobId, StringComparison.Ordinal))
                {
                    job = jobs.TryGet(result.JobId, out var found) ? found : null;
                }

                // A result assigned by this coordinator's predecessor never ends an attempt of this start, even one with the
                // same chunk and attempt number on the same worker (numbers start again after a restart): it is judged as resent.
                var earlierEpoch = result.AssignedEpoch != 0 && result.AssignedEpoch < _epoch;
                if (earlierEpoch || job is null || slots is null || !AttemptLedger.TryEnd(job, result.Chunk, result.Attempt, slots, out var attempt))
                {
                    if (earlierEpoch)
                    {
                        // Assigned by this coordinator's predecessor: no ledger of this start holds it, nor could call it forged.
                        if (job is not null && slots is not null && TryAcceptResent(job, result, accepted, ref losers))
                        {
                            CountResent(ref resent, job);
                            metrics.ChunkSucceeded(job.KindName, result.ElapsedMicros);
                            outputBytes += result.Output.Length;
                            LogResent(logger, job.Id, result.Chunk, result.Attempt, result.AssignedEpoch, session.WorkerId);
                        }
                        else
                        {
                            CountStale(job, session, result);
                        }

                        continue;
                    }

                    // Of a job it knows, the coordinator can tell a late answer (an attempt this worker id was given)
                    // from a forgery; a result of an unknown job (forgotten, or from before a restart) merges nothing either way.
                    if (job is not null && !ledger.WasAssigned(session.WorkerId, job.Id, result.Chunk, result.Attempt))
                    {
                        forged = new ForgedResult(job, result.Chunk, result.Attempt);
                        LogForged(logger, job.Id, result.Chunk, result.Attempt, session.WorkerId);
                        break;
                    }

                    CountStale(job, session, result);
                    continue;
                }

                switch (result.Kind)
                {
                    case ChunkOutcomeKind.Succeeded:
                        if (job.Attempts.TryComplete(result.Chunk))
                        {
                            job.Attempts.Durations.Record(result.ElapsedMicros);
                            metrics.ChunkSucceeded(job.KindName, result.ElapsedMicros);
                            outputBytes += result.Output.Length;
                            accepted.Add(new AcceptedChunk(job, result.Chunk, result.Output));
                            job.Timeline?.Ended(result.Chunk, attempt, AttemptEnd.Done);
                            ledger.EndOthers(job, result.Chunk, ref losers);
                            recorder.Succeeded(job, result.Chunk, attempt, session.WorkerId);
                            if (attempt.IsBackup)
                            {
                                (events ??= []).Add((job, $"backup attempt {attempt.Attempt} of chunk {result.Chunk} on worker {session.WorkerId} won"));
                            }

                            retries.OnSuccess(job, result.Chunk, session.WorkerId, ref events);
                        }
                        else
                        {
                            job.Timeline?.Ended(result.Chunk, attempt, AttemptEnd.Stale);
                        }

                        break;
                    case ChunkOutcomeKind.Failed:
                        session.CountFailed();
                        job.Counters.CountFailed();
                        job.Timeline?.Ended(result.Chunk, attempt, AttemptEnd.Failed, $"{result.Failure?.ExceptionType}: {result.Failure?.Message}");
                        recorder.Record(job, result.Chunk, result.Attempt, session.WorkerId, attempt.StartedAt, AttemptOutcome.Failed, $"{result.Failure?.ExceptionType}: {result.Failure?.Message}");
                        if (retries.OnFailure(job, result.Chunk, result.Attempt, slots, result.Failure!) is { } error)
                        {
                            (failed ??= []).Add(new JobToFail(job, error));
                        }

                        requeued = true;
                        break;
                    case ChunkOutcomeKind.Released:
                        job.Timeline?.Ended(result.Chunk, attempt, AttemptEnd.Cancelled);
                        requeued |= RetryPolicy.OnRelease(job, result.Chunk, result.Attempt, slots);
                        break;
                    default:
                        break;
                }
            }
        }

        metrics.Received(IoFlow.ChunkOutput, outputBytes);
        foreach (var (job, count) in resent ?? [])
        {
            (events ??= []).Add((job, $"{count} results of attempts assigned before the coordinator restarted were resent by worker {session.WorkerId} and merged"));
        }

        return new ResultsOutcome(accepted, losers, failed, events, requeued, forged);
    }

    private static void CountResent(ref List<(Job Job, int Count)>? resent, Job job)
    {
        resent ??= [];
        if (resent.Count > 0 && resent[^1].Job == job)
        {
            resent[^1] = (job, resent[^1].Count + 1);
        }
        else
        {
            resent.Add((job, 1));
        }
    }

    /// <summary>
    /// A result of an attempt assigned before the coordinator restarted counts if it is a success, its job came back
    /// from the journal unfinished, and no result of that chunk was merged (before the restart, from the journal, or since):
    /// a chunk's output depends only on the job's spec, input and chunk index, all of which the journal kept under the
    /// job's id, so any attempt's output is as good as another's, and the done bitmap still merges each chunk once. An
    /// attempt of the chunk running since the restart loses, as against a backup. A failure or a release is stale: the
    /// chunk was requeued at the restart and runs again under this start's retry limits.
    /// </summary>
    private bool TryAcceptResent(Job job, in ChunkOutcome result, List<AcceptedChunk> accepted, ref List<LosingAttempt>? losers)
    {
        if (result.Kind != ChunkOutcomeKind.Succeeded || job.IsFinal || result.Chunk >= job.ChunkCount || !job.Attempts.TryComplete(result.Chunk))
        {
            return false;
        }

        job.Attempts.Durations.Record(result.ElapsedMicros);
        job.Counters.CountResent();
        accepted.Add(new AcceptedChunk(job, result.Chunk, result.Output));
        ledger.EndOthers(job, result.Chunk, ref losers);
        return true;
    }

    private void CountStale(Job? job, WorkerSession session, in ChunkOutcome result)
    {
        if (job is not null)
        {
            job.Counters.CountStale();
            job.Timeline?.MarkStale(result.Chunk, result.Attempt);
            recorder.Record(job, result.Chunk, result.Attempt, session.WorkerId, null, AttemptOutcome.Stale, "its result came after the attempt had been taken back; discarded");
            job.Touch();
        }

        LogStale(logger, result.JobId, result.Chunk, result.Attempt, session.WorkerId);
    }

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Forged result of job {JobId} chunk {ChunkIndex} attempt {Attempt} from worker {WorkerId}: that attempt was never assigned to it; nothing merged, the worker is disconnected")]
    private static partial void LogForged(ILogger logger, string jobId, long chunkIndex, int attempt, string workerId);

    [LoggerMessage(EventId = 7050, Level = LogLevel.Debug, Message = "Job {JobId} chunk {ChunkIndex} attempt {Attempt}, assigned before the restart (epoch {AssignedEpoch}), resent by worker {WorkerId}: merged")]
    private static partial void LogResent(ILogger logger, string jobId, long chunkIndex, int attempt, long assignedEpoch, string workerId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Discarded stale result of job {JobId} chunk {ChunkIndex} attempt {Attempt} from worker {WorkerId}")]
    private static partial void LogStale(ILogger logger, string jobId, long chunkIndex, int attempt, string workerId);
}
