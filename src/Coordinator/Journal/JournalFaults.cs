using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Merging;

namespace Cluster.Coordinator.Journal;

/// <summary>
/// What the coordinator does when its journal cannot be written (a full disk, an I/O error): every unfinished job whose
/// records the failed commit held fails with a sentence saying why and what to do, since a restart could no longer carry
/// it on; the coordinator itself keeps serving, and jobs submitted once space returns are journalled as usual.
/// </summary>
internal sealed partial class JournalFaults(JobJournal journal, JobStore store, JobFinisher finisher, ILogger<JournalFaults> logger)
{
    /// <summary>Starts handling failed commits; called once at start-up.</summary>
    public void Attach() => journal.CommitFailed += Fail;

    private void Fail(IReadOnlyCollection<string> jobIds, string error)
    {
        var where = journal.Directory?.Root ?? "the data directory";
        foreach (var id in jobIds)
        {
            if (store.TryGet(id, out var job) && !job.IsFinal)
            {
                LogJobFailed(logger, id, error);
                finisher.Fail(job, $"The coordinator could not write the job to its journal in {where} ({error.TrimEnd('.')}): free space there, then resubmit the job.");
            }
        }
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Job {JobId} fails: the journal could not record it: {Error}")]
    private static partial void LogJobFailed(ILogger logger, string jobId, string error);
}
