namespace Cluster.Coordinator.Limits;

/// <summary>
/// Per-client and connection limits, bound from the <c>Coordinator:Limits</c> configuration section. A request that
/// exceeds one gets <c>ResourceExhausted</c> naming the limit, its value and its setting key. The message size, input
/// size and chunks-per-job limits stay in <see cref="Hosting.CoordinatorOptions"/> (<c>Coordinator:MaxMessageBytes</c>,
/// <c>Coordinator:MaxInputBytes</c>, <c>Coordinator:MaxChunksPerJob</c>).
/// </summary>
public sealed class LimitsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Coordinator:Limits";

    /// <summary>Jobs one client may have submitted and not yet finished (pending or running), counting submissions still uploading. Default 100.</summary>
    public int MaxQueuedJobsPerClient { get; set; } = 100;

    /// <summary>WatchJob streams one client may hold open at once. Default 100.</summary>
    public int MaxWatchesPerClient { get; set; } = 100;

    /// <summary>SubmitJob and UploadBundle streams one client may have open at once (uploading), counted together. Default 16.</summary>
    public int MaxSubmitStreamsPerClient { get; set; } = 16;

    /// <summary>
    /// Longest a SubmitJob or UploadBundle stream may go without sending a message; past it the stream is cancelled, its spooled input
    /// deleted and its slots freed (a slow-loris client holds nothing for long). Default 30 s.
    /// </summary>
    public TimeSpan SubmitIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Most TCP connections the server holds open at once; further ones are refused. Default 10,000: each worker holds one,
    /// and 1,000 workers with their clients must fit (the process's open-file limit must allow as many descriptors).
    /// </summary>
    public long MaxConnections { get; set; } = 10_000;

    /// <summary>Most concurrent HTTP/2 streams (calls) on one connection. Default 100.</summary>
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>Longest a new connection or request may take to send its headers (the HTTP/2 preface included). Default 30 s.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest a connection may stay open with no call on it before the server closes it (clients reconnect on demand). Default 130 s.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);
}
