using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Cluster.Worker.Hosting;

namespace Cluster.Worker.Connection;

/// <summary>
/// How the worker trusts an <c>https://</c> coordinator: the system store by default, or only the CA in
/// <see cref="WorkerOptions.CaFile"/>; and the client certificate it presents for mutual TLS.
/// </summary>
internal static class CoordinatorTls
{
    /// <summary>The TLS settings for the channel's handler, or <see langword="null"/> for the defaults (system store, no client certificate).</summary>
    public static SslClientAuthenticationOptions? Create(WorkerOptions options)
    {
        if (options.CaFile.Length == 0 && options.ClientCert.Length == 0)
        {
            return null;
        }

        var ssl = new SslClientAuthenticationOptions();
        if (options.CaFile.Length > 0)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(options.CaFile);

            // Only this CA is trusted; the host name (or IP address) is still checked against the certificate.
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(roots);
            ssl.CertificateChainPolicy = policy;
        }

        if (options.ClientCert.Length > 0)
        {
            var certificate = X509Certificate2.CreateFromPemFile(options.ClientCert, options.ClientKey);

            // A context is sent whatever CA names the server lists, so a mismatch shows as the server's refusal.
            ssl.ClientCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        }

        return ssl;
    }
}
