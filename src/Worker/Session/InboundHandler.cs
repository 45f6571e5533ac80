using System.Collections.Concurrent;
using Cluster.Contracts.V1;
using Cluster.Worker.Diagnostics;
using Cluster.Worker.Execution;

namespace Cluster.Worker.Session;

/// <summary>
/// What a session does with each message the coordinator sends: assignments become attempts on the compute pool,
/// cancels reach the attempts they name, and a closed job is dropped with its executor.
/// </summary>
/// <remarks>
/// Called by the session's read loop only, one message at a time. A job whose executor takes time to prepare (its
/// bundle is downloading) is prepared off the loop: its chunks wait for it, while other jobs' assignments keep flowing.
/// </remarks>
internal sealed class InboundHandler(ExecutorCache executors, PendingAttempts pending, ComputePool pool, StackResponder stacks, LocalSpool? spool = null)
{
    // Jobs being prepared off the read loop, by id; each entry ends once its job is in the executor cache.
    private readonly ConcurrentDictionary<string, Task> _preparing = new(StringComparer.Ordinal);

    public async Task HandleAsync(CoordinatorMessage message, CancellationToken cancellationToken)
    {
        switch (message.PayloadCase)
        {
            case CoordinatorMessage.PayloadOneofCase.Assignments:
                foreach (var definition in message.Assignments.Jobs)
                {
                    var prepared = executors.PrepareAsync(definition, cancellationToken);
                    if (prepared.IsCompleted)
                    {
                        await prepared.ConfigureAwait(false);
                    }
                    else
                    {
                        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        _preparing[definition.JobId] = ready.Task;
                        _ = ReadyWhenPreparedAsync(definition.JobId, prepared, ready);
                    }
                }

                foreach (var assignment in message.Assignments.Chunks)
                {
                    if (_preparing.TryGetValue(assignment.JobId, out var preparing))
                    {
                        _ = AfterAsync(preparing, () => Accept(assignment));
                    }
                    else
                    {
                        Accept(assignment);
                    }
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
                var closed = message.JobClosed.JobId;
                if (_preparing.TryGetValue(closed, out var closing))
                {
                    _ = AfterAsync(closing, () => executors.Close(closed));
                }
                else
                {
                    executors.Close(closed);
                }

                break;
            case CoordinatorMessage.PayloadOneofCase.StackRequest:
                stacks.Answer(message.StackRequest, cancellationToken);
                break;
            default:
                break;
        }
    }

    /// <summary>Once the job is prepared (or the session stopped), it no longer counts as being prepared, and what waited for it goes on.</summary>
    private async Task ReadyWhenPreparedAsync(string jobId, Task prepared, TaskCompletionSource ready)
    {
        try
        {
            await prepared.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The session stopped mid-download: its chunks are the coordinator's to requeue, as every other held one.
        }

        // Removed first: a chunk that comes from here on finds the job prepared; one that came before waits for the signal.
        _preparing.TryRemove(jobId, out _);
        ready.SetResult();
    }

    private static async Task AfterAsync(Task preparing, Action then)
    {
        await preparing.ConfigureAwait(false);
        then();
    }

    private void Accept(ChunkAssignment assignment)
    {
        if (!executors.TryGet(assignment.JobId, out var job))
        {
            // A job closed while this assignment was on its way (or the session stopped while it was prepared); nobody waits for it.
            return;
        }

        var item = new WorkItem(assignment, job, pending) { Spool = spool };
        pending.Add(item);
        if (pending.IsDraining || !pool.TryEnqueue(item))
        {
            item.Release();
        }
    }
}
