using Cluster.Bundles.Loading;
using Cluster.Coordinator.Bundles;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Merging;
using Cluster.Coordinator.Scheduling;
using Cluster.Coordinator.Submission;
using Cluster.Jobs;

namespace Cluster.Coordinator.Journal;

/// <summary>
/// Start-up after a stop or a crash: every job the journal holds comes back under its id. Finished jobs are listed
/// with their outcome, their result read from its file when asked. Unfinished ones are planned again from their spec and
/// input; the outputs of their merged chunks are merged again in the order they were first merged, those chunks are
/// marked done and never run again, and the rest (in flight when the coordinator stopped, or never sent) queue. A job
/// that cannot come back (its bundle or input gone, a plan that no longer matches) fails with a sentence saying why.
/// Runs before the server listens, on the journal's connection, while the writer is idle.
/// </summary>
internal sealed partial class JournalRecovery(
    CoordinatorJournal journal,
    JobJournal jobJournal,
    JobKindCatalog kinds,
    CoordinatorBundles bundles,
    JobStore store,
    Scheduler scheduler,
    JobFinisher finisher,
    TimeProvider time,
    ILogger<JournalRecovery> logger)
{
    /// <summary>Restores every journalled job; returns how many came back finished and unfinished.</summary>
    public (int Finished, int Resumed) Recover()
    {
        if (journal is not { Database: { } database, Directory: { } directory })
        {
            return (0, 0);
        }

        lock (database.Gate)
        {
            return Recover(database, directory);
        }
    }

    private (int Finished, int Resumed) Recover(JournalDatabase database, DataDirectory directory)
    {
        var started = time.GetTimestamp();
        var rows = JournalRows.ReadJobs(database.Connection);
        var events = JournalRows.ReadEvents(database.Connection);
        var attempts = JournalRows.ReadAttempts(database.Connection);
        var faults = JournalRows.ReadFaults(database.Connection);
        int finished = 0, resumed = 0;
        var keep = new HashSet<string>(StringComparer.Ordinal);
        var planned = new Dictionary<long, Job>();
        var ended = new List<Job>();
        foreach (var row in rows)
        {
            keep.Add(row.Id);
            jobJournal.Restored(row.Id, row.Seq, row.IsFinal);
            if (row.IsFinal)
            {
                var job = Job.Restored(row.Id, row.Spec, row.ChunkCount, row.InputBytes, row.SubmittedAt, jobJournal);
                job.RestoreEvents(events.GetValueOrDefault(row.Seq, []));
                job.RestoreOutcome(row.State, row.Error, row.StartedAt, row.FinishedAt, row.Summary, row.ContentType, row.ResultBytes, directory.ResultFile(row.Id));
                row.Counts.RestoreInto(job, attempts.GetValueOrDefault(row.Seq, []));
                store.Add(job);
                ended.Add(job);
                finished++;
            }
            else
            {
                if (Plan(row, events.GetValueOrDefault(row.Seq, []), directory) is { } job)
                {
                    row.Counts.RestoreInto(job, attempts.GetValueOrDefault(row.Seq, []));
                    planned[row.Seq] = job;
                }

                resumed++;
            }
        }

        // Retention applies as it did before the stop: in the order the jobs finished (the limits may have changed).
        foreach (var job in ended.OrderBy(j => j.FinishedAt))
        {
            store.OnFinished(job);
        }

        // Compaction leaves rows of unfinished jobs only: one pass over the table in merge order replays them all.
        JournalRows.ReplayOutputs(database.Connection, planned);
        foreach (var (seq, job) in planned)
        {
            Resume(job, faults.GetValueOrDefault(seq, []));
        }

        RemoveOrphans(directory, keep);
        var milliseconds = time.GetElapsedTime(started).TotalMilliseconds;
        LogRecovered(logger, finished, resumed, milliseconds);
        return (finished, resumed);
    }

    /// <summary>The job planned again, its events and start restored; or null when it failed to come back.</summary>
    private Job? Plan(JournalRows.JobRow row, List<(int Sequence, string Text)> events, DataDirectory directory)
    {
        Job job;
        try
        {
            job = Plan(row, directory);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var failed = Job.Restored(row.Id, row.Spec, row.ChunkCount, row.InputBytes, row.SubmittedAt, jobJournal);
            failed.RestoreEvents(events);
            store.Add(failed);
            finisher.Fail(failed, $"The coordinator restarted and could not resume the job ({ex.Message.TrimEnd('.')}): resubmit it.");
            return null;
        }

        job.RestoreEvents(events);
        if (row.StartedAt is { } startedAt)
        {
            job.RestoreStarted(startedAt);
        }

        return job;
    }

    /// <summary>A job whose journalled outputs were replayed: its other chunks queue, or it finishes if none is left.</summary>
    /// <remarks>
    /// A chunk that failed or was lost before the restart keeps those counts toward its job's limits and runs again
    /// under the attempt number after its highest journalled one (queued ahead of chunks never sent).
    /// </remarks>
    private void Resume(Job job, List<JournalRows.ChunkFaults> faults)
    {
        var kept = job.ChunksDone;
        var (logged, _) = job.AttemptLog.Snapshot();
        var retried = new HashSet<long>();
        foreach (var fault in faults)
        {
            if (fault.Chunk < job.ChunkCount && !job.Attempts.IsCompleted(fault.Chunk))
            {
                job.Attempts.RestoreFaults(fault.Chunk, fault.Failures, fault.Losses, logged);
                job.Queue.Requeue(fault.Chunk, fault.LastAttempt);
                retried.Add(fault.Chunk);
            }
        }

        job.Queue.SkipCompleted(retried.Count == 0 ? job.Attempts.IsCompleted : c => job.Attempts.IsCompleted(c) || retried.Contains(c));
        job.AddEvent($"coordinator restarted: {kept} of {job.ChunkCount} chunks kept from the journal, the rest queued");
        store.Add(job);
        LogResumed(logger, job.Id, kept, job.ChunkCount);
        if (kept == job.ChunkCount)
        {
            finisher.Succeed(job, job.CompleteMerge());
            return;
        }

        scheduler.AddJob(job);
    }

    private Job Plan(JournalRows.JobRow row, DataDirectory directory)
    {
        var spec = row.Spec;
        BundleLease? bundle = null;
        IJobKind kind;
        if (string.IsNullOrEmpty(spec.BundleId))
        {
            kind = kinds.TryGet(spec.Kind, out var known) ? known : throw new InvalidOperationException($"kind '{spec.Kind}' is not known to this coordinator");
        }
        else
        {
            bundle = bundles.Acquire(spec.BundleId);
            kind = bundle.Bundle.GetKind(spec.Kind);
        }

        SpooledInput? input = null;
        try
        {
            var parameters = JobParameters.Bind(kind.Parameters, spec.Parameters);
            var referenced = spec.InputUrl.Length > 0 ? ReferencedInput.Restore(spec.InputUrl, row.InputBytes, spec.InputETag) : null;
            if (kind.TakesInput && referenced is null)
            {
                var path = directory.InputFile(row.Id);
                input = File.Exists(path) ? SpooledInput.Reopen(path) : throw new InvalidOperationException("its input is no longer in the data directory");
                if (input.Length != row.InputBytes)
                {
                    // Accepted with its declared length, and the stop cut the upload.
                    throw new InvalidOperationException($"its upload was cut by the stop after {input.Length} of its {row.InputBytes} bytes");
                }
            }

            var chunking = new ChunkingRequest(spec.Chunks, spec.ChunkSize, spec.DefaultChunks, spec.MaxChunks);
            var context = new JobPlanContext(parameters, (IJobInput?)referenced ?? input, chunking) { InputByReference = referenced is not null, InputArriving = spec.InputArriving && referenced is null };
            using var scope = bundle?.Bundle.EnterContextualReflection();
            var plan = kind.Plan(context);
            if (plan.ChunkCount != row.ChunkCount)
            {
                throw new InvalidOperationException($"it now plans to {plan.ChunkCount} chunks, not the {row.ChunkCount} it had");
            }

            return new Job(row.Id, kind, spec.Name, spec.Parameters, plan, input, row.InputBytes, spec.MaxAttempts, row.SubmittedAt)
            {
                InputUrl = spec.InputUrl,
                InputETag = spec.InputETag,
                Owner = spec.Owner,
                BundleId = spec.BundleId,
                Bundle = bundle,
                Journal = jobJournal,
            };
        }
        catch
        {
            input?.Dispose();
            bundle?.Dispose();
            throw;
        }
    }


    /// <summary>Inputs of jobs the journal does not hold (an upload cut by the crash) and results of no job.</summary>
    private static void RemoveOrphans(DataDirectory directory, HashSet<string> keep)
    {
        foreach (var file in Directory.EnumerateFiles(directory.InputsPath).Concat(Directory.EnumerateFiles(directory.ResultsPath)))
        {
            var name = Path.GetFileName(file);
            var id = name[..name.IndexOf('.', StringComparison.Ordinal)];
            if (!keep.Contains(id) || name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                File.Delete(file);
            }
        }
    }

    [LoggerMessage(EventId = 7010, Level = LogLevel.Information, Message = "Journal: {Finished} finished and {Resumed} unfinished jobs restored in {Milliseconds:F0} ms")]
    private static partial void LogRecovered(ILogger logger, int finished, int resumed, double milliseconds);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Information, Message = "Job {JobId} resumed: {Kept} of {ChunkCount} chunks kept from the journal")]
    private static partial void LogResumed(ILogger logger, string jobId, long kept, long chunkCount);
}
