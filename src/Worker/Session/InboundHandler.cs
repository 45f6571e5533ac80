using Cluster.Contracts.V1;
using Cluster.Worker.Execution;

namespace Cluster.Worker.Session;

/// <summary>
/// What a session does with each message the coordinator sends: assignments become attempts on the compute pool,
/// cancels reach the attempts they name, and a closed job is dropped with its executor.
/// </summary>
/// <remarks>Called by the session's read loop only, one message at a time.</remarks>
internal sealed class InboundHandler(ExecutorCache executors, PendingAttempts pending, ComputePool pool)
{
    /// <remarks>A job from a bundle the worker has not loaded waits here while the bundle is fetched and loaded.</remarks>
    public async Task HandleAsync(CoordinatorMessage message, CancellationToken cancellationToken)
    {
        switch (message.PayloadCase)
        {
            case CoordinatorMessage.PayloadOneofCase.Assignments:
                foreach (var definition in message.Assignments.Jobs)
                {
                    await executors.PrepareAsync(definition, cancellationToken).ConfigureAwait(false);
                }

                foreach (var assignment in message.Assignments.Chunks)
                {
                    Accept(assignment);
                }

                break;
            case CoordinatorMessage.PayloadOneofCase.Cancel:
                foreach (var chunk in message.Cancel.Chunks)
                {
                    if (pending.TryGet(chunk.JobId, chunk.ChunkIndex, chunk.Attempt, out var item))
                    {
                        item.Cancel();
                    }
                }

                break;
            case CoordinatorMessage.PayloadOneofCase.JobClosed:
                executors.Close(message.JobClosed.JobId);
                break;
            default:
                break;
        }
    }

    private void Accept(ChunkAssignment assignment)
    {
        if (!executors.TryGet(assignment.JobId, out var job))
        {
            // A job closed while this assignment was on its way; nobody waits for it.
            return;
        }

        var item = new WorkItem(assignment, job, pending);
        pending.Add(item);
        if (pending.IsDraining || !pool.TryEnqueue(item))
        {
            item.Release();
        }
    }
}
