namespace Cluster.Coordinator.Jobs;

/// <summary>Where a job is in its life. The API maps it to the protocol's JobState; the names are the ones users see.</summary>
internal enum JobState
{
    /// <summary>Accepted and planned; no chunk has been sent yet.</summary>
    Pending,

    /// <summary>At least one chunk has been sent to a worker.</summary>
    Running,

    /// <summary>Every chunk was merged and the result produced.</summary>
    Succeeded,

    /// <summary>A chunk ran out of attempts, merging threw, or a payload could not be produced.</summary>
    Failed,

    /// <summary>A user cancelled it.</summary>
    Cancelled,
}
