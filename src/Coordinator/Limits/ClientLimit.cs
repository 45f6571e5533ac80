namespace Cluster.Coordinator.Limits;

/// <summary>The per-client limits <see cref="ClientLimits"/> counts.</summary>
public enum ClientLimit
{
    /// <summary><see cref="LimitsOptions.MaxQueuedJobsPerClient"/>.</summary>
    QueuedJobs,

    /// <summary><see cref="LimitsOptions.MaxWatchesPerClient"/>.</summary>
    Watches,

    /// <summary><see cref="LimitsOptions.MaxSubmitStreamsPerClient"/>.</summary>
    SubmitStreams,
}
