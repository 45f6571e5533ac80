namespace Cluster.Hosting.Inputs;

/// <summary>How inputs by reference over HTTP(S) are read: retries of transient failures and the time one request may take.</summary>
public sealed record HttpInputSettings
{
    /// <summary>Retries of a request that failed transiently (a connection error, a timeout, 408, 429, 500, 502, 503, 504). Default 5.</summary>
    public int Retries { get; init; } = 5;

    /// <summary>Delay before the first retry; each next one doubles it, with jitter. Default 200 ms.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest delay between retries. Default 5 s.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time one request may take, its body read included, before it is abandoned and retried. Default 60 s.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The clock of the delays and timeouts. Default the system's.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
