using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cluster.Client;

/// <summary>The TLS side of a client's channel: which roots it trusts and which certificate it presents.</summary>
internal static class ClientTls
{
    /// <summary>The handler's TLS settings from <paramref name="options"/>: defaults (system store, no certificate) when none is set.</summary>
    /// <exception cref="ArgumentException">A file is missing, unreadable or not PEM; the message names it.</exception>
    public static SslClientAuthenticationOptions Create(ClusterClientOptions options)
    {
        var ssl = new SslClientAuthenticationOptions();
        if (!string.IsNullOrEmpty(options.CaCertificateFile))
        {
            var roots = new X509Certificate2Collection();
            Load(options.CaCertificateFile, nameof(options.CaCertificateFile), () => roots.ImportFromPemFile(options.CaCertificateFile));

            // Only this CA is trusted; the host name (or IP address) is still checked against the certificate.
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(roots);
            ssl.CertificateChainPolicy = policy;
        }

        if (!string.IsNullOrEmpty(options.ClientCertificateFile) || !string.IsNullOrEmpty(options.ClientKeyFile))
        {
            if (string.IsNullOrEmpty(options.ClientCertificateFile) || string.IsNullOrEmpty(options.ClientKeyFile))
            {
                throw new ArgumentException("A client certificate needs both its certificate file and its key file.", nameof(options));
            }

            X509Certificate2? certificate = null;
            Load(options.ClientCertificateFile, nameof(options.ClientCertificateFile), () => certificate = X509Certificate2.CreateFromPemFile(options.ClientCertificateFile, options.ClientKeyFile));

            // A context is sent whatever CA names the server lists, so a mismatch shows as the server's refusal.
            ssl.ClientCertificateContext = SslStreamCertificateContext.Create(certificate!, additionalCertificates: null, offline: true);
        }

        return ssl;
    }

    private static void Load(string path, string setting, Action load)
    {
        try
        {
            load();
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{setting} '{path}' is not a readable PEM file: {Sentences.Lower(e.Message)}", setting, e);
        }
    }
}
