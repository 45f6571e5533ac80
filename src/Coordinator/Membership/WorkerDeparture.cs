using Cluster.Coordinator.Attempts;
using Cluster.Coordinator.Merging;
using Cluster.Coordinator.Scheduling;

namespace Cluster.Coordinator.Membership;

/// <summary>
/// A worker's session ended (its stream closed or broke, its lease expired, it was replaced): in one take of the
/// dispatch lock it leaves the scheduler and the ledger takes back every attempt it held, so its chunks run
/// elsewhere; a chunk lost with too many workers fails its job instead.
/// </summary>
internal sealed partial class WorkerDeparture(
    DispatchLock dispatch,
    Scheduler scheduler,
    AttemptLedger ledger,
    JobFinisher finisher,
    ILogger<WorkerDeparture> logger)
{
    public void Leave(WorkerSession session)
    {
        var reason = session.DepartureReason ?? "unknown";
        LossOutcome loss;
        lock (dispatch.Gate)
        {
            scheduler.RemoveSession(session);
            loss = ledger.Lose(session, reason);
        }

        foreach (var (job, count) in loss.Lost)
        {
            job.AddEvent($"worker {session.WorkerId} lost ({reason}): {count} running chunks will run elsewhere");
            LogRequeued(logger, job.Id, session.WorkerId, count, reason);
        }

        foreach (var (job, error) in loss.JobsToFail)
        {
            finisher.Fail(job, error);
        }

        scheduler.WakeAll();
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Job {JobId}: {Count} chunks held by worker {WorkerId} will run elsewhere: {Reason}")]
    private static partial void LogRequeued(ILogger logger, string jobId, string workerId, int count, string reason);
}
