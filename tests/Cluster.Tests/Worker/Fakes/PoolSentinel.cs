using Cluster.Contracts.V1;
using Cluster.Worker.Execution;

namespace Cluster.Tests.Worker.Fakes;

/// <summary>
/// An attempt queued behind everything else on a one-thread pool: once it ran, every attempt queued before it has
/// finished and handed its result (or its skip) back.
/// </summary>
internal sealed class PoolSentinel : IWorkSink
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsLive => true;

    /// <summary>Queues the sentinel on <paramref name="pool"/> and completes when it ran.</summary>
    public static Task AfterEverythingQueuedAsync(ComputePool pool)
    {
        var sentinel = new PoolSentinel();
        var item = new WorkItem(Messages.Chunk("sentinel", 0), new JobContext("sentinel", null, null), sentinel);
        if (!pool.TryEnqueue(item))
        {
            throw new InvalidOperationException("The pool's queue is full.");
        }

        return sentinel._reached.Task;
    }

    public void Complete(WorkItem item, ChunkResult result) => _reached.TrySetResult();

    public void Skip(WorkItem item) => _reached.TrySetResult();
}
