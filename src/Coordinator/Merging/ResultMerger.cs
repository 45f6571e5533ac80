using Cluster.Coordinator.Attempts;
using Cluster.Coordinator.Limits;
using Cluster.Coordinator.Membership;
using Cluster.Coordinator.Scheduling;

namespace Cluster.Coordinator.Merging;

/// <summary>
/// Takes a session's batch of results to the end: the <see cref="ResultIntake"/> decides under the dispatch lock
/// which count; then, outside it, losing attempts are told to stop, events are recorded, each accepted output is
/// folded into its job exactly once (the last one completes the job), and jobs out of attempts fail.
/// </summary>
internal sealed class ResultMerger(ResultIntake intake, JobFinisher finisher, Scheduler scheduler)
{
    public void Apply(WorkerSession session, ReadOnlySpan<ChunkOutcome> results)
    {
        var outcome = intake.Apply(session, results);
        session.CountCompleted(outcome.Accepted.Count);
        if (outcome.Losers is { } losers)
        {
            foreach (var loser in losers)
            {
                loser.Session.EnqueueControl(new CancelAttempts([loser.Attempt]));
            }
        }

        if (outcome.Events is { } events)
        {
            foreach (var (job, text) in events)
            {
                job.AddEvent(text);
            }
        }

        foreach (var accepted in outcome.Accepted)
        {
            Merge(accepted);
        }

        if (outcome.JobsToFail is { } failed)
        {
            foreach (var (job, error) in failed)
            {
                finisher.Fail(job, error);
            }
        }

        if (outcome.Forged is { } forged)
        {
            // Nothing of the forged result was merged; the worker is disconnected and its attempts run elsewhere.
            var rule = $"results: job {forged.Job.Id} chunk {forged.Chunk} attempt {forged.Attempt} was never assigned to worker {session.WorkerId}; a worker may answer only its own attempts";
            forged.Job.AddEvent($"worker {session.WorkerId} sent a forged result for chunk {forged.Chunk} attempt {forged.Attempt} (never assigned to it): discarded, worker disconnected");
            throw new WorkerProtocolException(rule) { Forged = true };
        }

        // Freed slots are this session's own; other sessions need waking only when work went back to a queue or a
        // loser's slot was freed (a finished job wakes everyone when it finishes).
        if (outcome.Requeued || outcome.Losers is not null)
        {
            scheduler.WakeAll();
        }
        else
        {
            session.Wake();
        }
    }

    private void Merge(AcceptedChunk accepted)
    {
        var job = accepted.Job;
        try
        {
            if (job.Merge(accepted.Chunk, accepted.Output.Span))
            {
                finisher.Succeed(job, job.CompleteMerge());
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            finisher.Fail(job, $"Merging chunk {accepted.Chunk} failed: {ex.GetType().FullName}: {ex.Message}");
        }
    }
}
