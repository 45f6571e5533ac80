using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cluster.Bench.Infrastructure;

/// <summary>
/// A CA, a server certificate for 127.0.0.1 and a client certificate, as PEM files in <see cref="Directory"/>: the
/// same shape as the README's openssl commands (RSA 2048, SHA-256; serverAuth with the IP as subject alternative
/// name; clientAuth), made in process so that the bench needs no openssl.
/// </summary>
internal sealed class BenchCertificates
{
    private BenchCertificates(string directory) => Directory = directory;

    public string Directory { get; }

    public string CaCert => Path.Combine(Directory, "ca.crt");

    public string ServerCert => Path.Combine(Directory, "server.crt");

    public string ServerKey => Path.Combine(Directory, "server.key");

    public string ClientCert => Path.Combine(Directory, "client.crt");

    public string ClientKey => Path.Combine(Directory, "client.key");

    /// <summary>Writes the CA and both certificates into <paramref name="directory"/>, keys readable by the owner only.</summary>
    public static BenchCertificates Create(string directory)
    {
        var certificates = new BenchCertificates(directory);
        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Cluster bench CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        Write(certificates.CaCert, ca.ExportCertificatePem());

        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        Issue(ca, "CN=127.0.0.1", "1.3.6.1.5.5.7.3.1", san.Build(), now, certificates.ServerCert, certificates.ServerKey);
        Issue(ca, "CN=worker", "1.3.6.1.5.5.7.3.2", null, now, certificates.ClientCert, certificates.ClientKey);
        return certificates;
    }

    private static void Issue(X509Certificate2 ca, string subject, string usage, X509Extension? san, DateTimeOffset now, string certPath, string keyPath)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (san is not null)
        {
            request.CertificateExtensions.Add(san);
        }

        using var certificate = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        Write(certPath, certificate.ExportCertificatePem());
        Write(keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Writes <paramref name="text"/> to a new file only its owner may read.</summary>
    public static void Write(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, options);
        writer.Write(text);
    }
}
