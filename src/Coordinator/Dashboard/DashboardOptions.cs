namespace Cluster.Coordinator.Dashboard;

/// <summary>
/// The web dashboard on the coordinator's HTTP port, bound from the <c>Coordinator:Dashboard</c> configuration section.
/// </summary>
public sealed class DashboardOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Coordinator:Dashboard";

    /// <summary>How often an open dashboard is sent what changed (server-sent events). Default 1 s.</summary>
    public TimeSpan UpdateInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Jobs whose attempt timeline is kept, the most recently started ones; older jobs' timelines are dropped; 0 keeps none (the dashboard shows no timeline, and dispatch records nothing). Default 16.</summary>
    public int TimelineJobs { get; set; } = 16;

    /// <summary>Attempts kept in one job's timeline, the most recent ones. Default 4,096.</summary>
    public int TimelineAttempts { get; set; } = 4096;

    /// <summary>
    /// A running chunk is marked long on the page, with a button for its stacks, once it has run more than this many
    /// times its job's median chunk time (and more than <see cref="LongChunkMinimum"/>). Default 3.
    /// </summary>
    public double LongChunkMedians { get; set; } = 3;

    /// <summary>No chunk is marked long before it has run this long, whatever the median. Default 2 s.</summary>
    public TimeSpan LongChunkMinimum { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Dashboard event streams open at once (browser tabs); further ones get 503. Default 32.</summary>
    public int MaxStreams { get; set; } = 32;
}
