using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Membership;

namespace Cluster.Coordinator.Scheduling;

/// <summary>
/// Picks the next chunk of a job for a session: a chunk waiting to run again first, unless it already failed on this
/// worker and another usable worker has not failed it yet (that one gets it, the fault may be this worker's);
/// otherwise a chunk never sent. A chunk that failed everywhere still runs again, up to its attempt limit.
/// </summary>
internal sealed class RetryPlacement(WorkerHealth health)
{
    /// <summary>Takes a chunk of <paramref name="job"/> for <paramref name="session"/>, among <paramref name="sessions"/>. Under the dispatch lock.</summary>
    public bool TryTake(Job job, WorkerSession session, List<WorkerSession> sessions, out long chunk, out int attempt)
    {
        var queue = job.Queue;
        for (var i = 0; i < queue.RetryCount; i++)
        {
            var candidate = queue.RetryAt(i);
            if (job.Attempts.IsCompleted(candidate))
            {
                // Done while it waited (a result resent after a restart): it never runs again.
                queue.TakeRetryAt(i--);
                continue;
            }

            if (job.Attempts.FailedOn(candidate, session.WorkerId) && CouldRunElsewhere(job, candidate, session, sessions))
            {
                continue;
            }

            (chunk, attempt) = (candidate, queue.TakeRetryAt(i));
            return true;
        }

        attempt = 1;
        return queue.TryTakeFresh(out chunk);
    }

    private bool CouldRunElsewhere(Job job, long chunk, WorkerSession session, List<WorkerSession> sessions) =>
        sessions.Exists(s => s != session && !s.Draining && !s.Closed && !job.Attempts.FailedOn(chunk, s.WorkerId)
            && health.QuarantinedUntil(s.WorkerId) is null);
}
