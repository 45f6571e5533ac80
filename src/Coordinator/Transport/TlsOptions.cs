namespace Cluster.Coordinator.Transport;

/// <summary>
/// TLS settings of the coordinator, bound from the <c>Coordinator</c> section (<c>Coordinator:TlsCert</c>...;
/// <c>--tls-cert</c>, <c>--tls-key</c>, <c>--client-ca</c> on the command line). Default: no TLS (plaintext HTTP/2).
/// </summary>
internal sealed class TlsOptions
{
    /// <summary>PEM file of the server certificate (its chain may follow it). Default none: plaintext. Needs <see cref="TlsKey"/>.</summary>
    public string TlsCert { get; set; } = string.Empty;

    /// <summary>PEM file of the server certificate's private key (unencrypted). Default none. Needs <see cref="TlsCert"/>.</summary>
    public string TlsKey { get; set; } = string.Empty;

    /// <summary>
    /// PEM file of the CA that signs client certificates. Default none: no client certificate is asked for. When set
    /// (mutual TLS, needs <see cref="TlsCert"/>), a worker must present a certificate that chains to this CA to join,
    /// and any certificate presented by anyone must chain to it.
    /// </summary>
    public string ClientCa { get; set; } = string.Empty;

    /// <summary>
    /// With <see cref="ClientCa"/>: whether every connection (clients, the CLI, health probes) must present a client
    /// certificate too, refused in the TLS handshake otherwise. Default false: only a worker's stream
    /// (<c>WorkerService/Connect</c>) requires one, so clients authenticate with their token and health probes need nothing.
    /// </summary>
    public bool RequireClientCertificateForClients { get; set; }

    /// <summary>Whether the coordinator serves HTTPS.</summary>
    public bool Enabled => TlsCert.Length > 0 || TlsKey.Length > 0;

    /// <summary>Whether client certificates are checked against <see cref="ClientCa"/>.</summary>
    public bool Mutual => ClientCa.Length > 0;
}
