using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cluster.Coordinator.Transport;

/// <summary>Loads the PEM files named in <see cref="TlsOptions"/> and checks client certificates against the client CA.</summary>
internal static class TlsCertificates
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    public static X509Certificate2 LoadServerCertificate(TlsOptions options) =>
        X509Certificate2.CreateFromPemFile(options.TlsCert, options.TlsKey);

    /// <summary>Every certificate in a PEM file; throws <see cref="CryptographicException"/> when it holds none.</summary>
    public static X509Certificate2Collection LoadCertificates(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        return certificates.Count > 0 ? certificates : throw new CryptographicException("the file holds no certificate");
    }

    /// <summary>
    /// Whether <paramref name="certificate"/> chains to one of <paramref name="roots"/> (and only to them: the system
    /// store is not consulted), is in its validity period and, if it names its uses, may authenticate a client.
    /// Revocation is not checked: a test cluster's CA publishes no revocation list.
    /// </summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        return chain.Build(certificate);
    }
}
