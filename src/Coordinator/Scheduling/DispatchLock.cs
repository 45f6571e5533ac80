namespace Cluster.Coordinator.Scheduling;

/// <summary>
/// The one lock over dispatch state: the <see cref="Scheduler"/>'s lists of running jobs and sessions, every running
/// job's <see cref="ChunkQueue"/>, and the attempt ledger. Whoever changes several of them at once (taking a batch of
/// work, applying a batch of results, a worker leaving, a job finishing) holds it for the whole batch, never per chunk.
/// </summary>
internal sealed class DispatchLock
{
    public Lock Gate { get; } = new();

    /// <summary>Whether the calling thread holds the lock (for assertions in methods that must be called under it).</summary>
    public bool IsHeld => Gate.IsHeldByCurrentThread;
}
