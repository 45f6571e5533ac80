using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cluster.Coordinator.Transport;

namespace Cluster.Tests.Coordinator.Transport;

public sealed class TlsOptionsValidatorTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("cluster-tls-unit-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Validate_NoTls_Succeeds() =>
        Assert.True(new TlsOptionsValidator().Validate(null, new TlsOptions()).Succeeded);

    [Fact]
    public void Validate_CertAndKey_Succeeds()
    {
        var (cert, key) = WriteSelfSigned("server");

        Assert.True(new TlsOptionsValidator().Validate(null, new TlsOptions { TlsCert = cert, TlsKey = key }).Succeeded);
    }

    [Fact]
    public void Validate_CertWithoutKey_FailsNamingBoth()
    {
        var (cert, _) = WriteSelfSigned("server");

        var result = new TlsOptionsValidator().Validate(null, new TlsOptions { TlsCert = cert });

        Assert.True(result.Failed);
        Assert.Contains("--tls-cert", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("--tls-key", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_KeyOfAnotherCertificate_FailsNamingFiles()
    {
        var (cert, _) = WriteSelfSigned("server");
        var (_, otherKey) = WriteSelfSigned("other");

        var result = new TlsOptionsValidator().Validate(null, new TlsOptions { TlsCert = cert, TlsKey = otherKey });

        Assert.True(result.Failed);
        Assert.Contains(cert, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ClientCaWithoutTls_Fails()
    {
        var (ca, _) = WriteSelfSigned("ca");

        var result = new TlsOptionsValidator().Validate(null, new TlsOptions { ClientCa = ca });

        Assert.True(result.Failed);
        Assert.Contains("--client-ca", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingClientCaFile_FailsNamingIt()
    {
        var (cert, key) = WriteSelfSigned("server");
        var missing = Path.Combine(_directory.FullName, "missing.crt");

        var result = new TlsOptionsValidator().Validate(null, new TlsOptions { TlsCert = cert, TlsKey = key, ClientCa = missing });

        Assert.True(result.Failed);
        Assert.Contains(missing, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ChainsTo_SignedByCa_TrueAndSelfSigned_False()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var clientKey = RSA.Create(2048);
        var clientRequest = new CertificateRequest("CN=worker", clientKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        clientRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var client = clientRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), [1, 2, 3, 4]);
        using var stranger = clientRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));

        Assert.True(TlsCertificates.ChainsTo(client, [ca]));
        Assert.False(TlsCertificates.ChainsTo(stranger, [ca]));
    }

    private (string Cert, string Key) WriteSelfSigned(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(_directory.FullName, name + ".crt");
        var keyPath = Path.Combine(_directory.FullName, name + ".key");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }
}
