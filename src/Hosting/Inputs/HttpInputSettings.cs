namespace Cluster.Hosting.Inputs;

/// <summary>
/// How inputs by reference over HTTP(S) are read: retries of transient failures and the time one request may take.
/// Bound from <c>Worker:HttpInput</c> on a worker (its reads of its chunks' ranges) and <c>Coordinator:HttpInput</c> on
/// the coordinator (its probe at submission, which a client waits for: there the defaults are 2 retries and 10 s), and
/// checked at start-up (<see cref="HttpInputSettingsValidator"/>).
/// </summary>
public sealed record HttpInputSettings
{
    /// <summary>Retries of a request that failed transiently (a connection error, a timeout, 408, 429, 500, 502, 503, 504). Default 5.</summary>
    public int Retries { get; set; } = 5;

    /// <summary>Delay before the first retry; each next one doubles it, with jitter. Default 200 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest delay between retries. Default 5 s.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time one request may take, its body read included, before it is abandoned and retried. Default 60 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The clock of the delays and timeouts. Default the system's.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
