using Cluster.Coordinator.Jobs;

namespace Cluster.Coordinator.Scheduling;

/// <summary>A chunk attempt the scheduler handed to a worker session; the send loop turns it into a message.</summary>
internal readonly record struct Assignment(Job Job, long Chunk, int Attempt)
{
    /// <summary>An attempt of a chunk that failed before (not a backup, nor a chunk lost with its worker): it carries its bytes, never a spool range.</summary>
    public bool AfterFailure { get; init; }
}
