namespace Cluster.Client;

/// <summary>Settings of a <see cref="ClusterClient"/>.</summary>
public sealed class ClusterClientOptions
{
    private string? _token;

    /// <summary>Deadline of every unary call (get, list, cancel, and submissions without input). Default 30 seconds.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long to wait for a TCP connection to the coordinator. Default 5 seconds. Applies to the channel a client
    /// made from an address creates; a channel or call invoker passed in keeps its own settings.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many times <see cref="ClusterClient.WaitForCompletionAsync"/> re-opens a watch that broke because the
    /// coordinator became unreachable, before giving up. Default 8.
    /// </summary>
    public int WatchRetryAttempts { get; init; } = 8;

    /// <summary>First delay before re-opening a broken watch; later ones grow exponentially, with jitter. Default 250 ms.</summary>
    public TimeSpan WatchRetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest delay between two watch attempts. Default 5 seconds.</summary>
    public TimeSpan WatchRetryMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many times a call that has the same effect however often it is made (get, list, cancel, fetching a result)
    /// is sent again after failing because the coordinator was unavailable, with exponential backoff and jitter.
    /// Default 4; 0 turns these retries off. Submissions are retried only while connecting fails (see
    /// <see cref="WatchRetryAttempts"/>), so that a job is never submitted twice.
    /// </summary>
    public int CallRetryAttempts { get; init; } = 4;

    /// <summary>First delay before sending a failed call again; later ones grow exponentially, with jitter. Default 200 ms.</summary>
    public TimeSpan CallRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest delay between two attempts of a call. Default 2 seconds.</summary>
    public TimeSpan CallRetryMaxDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Secret sent as <c>authorization: Bearer SECRET</c> on every call, for a coordinator with a token file.
    /// Default none (a coordinator without tokens). Read it with <see cref="Cluster.Processes.BearerToken.Read"/>
    /// from a file or the <c>CLUSTER_TOKEN</c> environment variable, never from a command-line argument.
    /// </summary>
    public string? Token
    {
        get => _token;
        init => _token = value;
    }

    /// <summary>
    /// PEM file of the CA that signed an <c>https://</c> coordinator's certificate; when set, only it is trusted (the
    /// host name is still checked). Default <see langword="null"/>: the system's trusted roots. Applies to the channel
    /// a client made from an address creates.
    /// </summary>
    public string? CaCertificateFile { get; init; }

    /// <summary>
    /// PEM file of a client certificate to present to a coordinator that asks for one (mutual TLS). Default
    /// <see langword="null"/>: none. Needs <see cref="ClientKeyFile"/>.
    /// </summary>
    public string? ClientCertificateFile { get; init; }

    /// <summary>PEM file of the client certificate's private key, unencrypted. Default <see langword="null"/>. Needs <see cref="ClientCertificateFile"/>.</summary>
    public string? ClientKeyFile { get; init; }

    /// <summary>Clock used for deadlines and retry delays. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>These options, or a copy with <see cref="Token"/> set to <paramref name="token"/> when they have none.</summary>
    internal ClusterClientOptions WithDefaultToken(string? token)
    {
        if (_token is not null || token is null)
        {
            return this;
        }

        var copy = (ClusterClientOptions)MemberwiseClone();
        copy._token = token;
        return copy;
    }
}
