using Cluster.IntegrationTests.Infrastructure;

namespace Cluster.IntegrationTests.Transport;

/// <summary>
/// A test cluster's CA, a server certificate for 127.0.0.1 and a client certificate, made with the real <c>openssl</c>
/// in a temporary folder by exactly the commands the README's "TLS" section shows; the folder goes on dispose.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private TestCertificates(string directory) => Directory = directory;

    /// <summary>Full path of the <c>openssl</c> binary, or <see langword="null"/> when it is not on PATH.</summary>
    public static string? OpenSsl { get; } = ToolProcess.Find("openssl");

    public string Directory { get; }

    public string CaCert => Path.Combine(Directory, "ca.crt");

    public string ServerCert => Path.Combine(Directory, "server.crt");

    public string ServerKey => Path.Combine(Directory, "server.key");

    public string ClientCert => Path.Combine(Directory, "client.crt");

    public string ClientKey => Path.Combine(Directory, "client.key");

    /// <summary>Makes the CA and certificates; the server certificate names <paramref name="serverIp"/> (default loopback).</summary>
    public static async Task<TestCertificates> CreateAsync(string serverIp = "127.0.0.1")
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("cluster-tls-").FullName;
        var certificates = new TestCertificates(directory);
        try
        {
            // The README's commands, one for one.
            certificates.Run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=Cluster test CA", "-keyout", "ca.key", "-out", "ca.crt");
            certificates.Run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + serverIp, "-keyout", "server.key", "-out", "server.csr");
            await File.WriteAllTextAsync(Path.Combine(directory, "server.ext"), $"subjectAltName=IP:{serverIp}\nextendedKeyUsage=serverAuth\n");
            certificates.Run("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "30", "-extfile", "server.ext", "-out", "server.crt");
            certificates.Run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=worker", "-keyout", "client.key", "-out", "client.csr");
            await File.WriteAllTextAsync(Path.Combine(directory, "client.ext"), "extendedKeyUsage=clientAuth\n");
            certificates.Run("x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "30", "-extfile", "client.ext", "-out", "client.crt");
            return certificates;
        }
        catch
        {
            certificates.Dispose();
            throw;
        }
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private void Run(params string[] args)
    {
        var (code, text) = ToolProcess.Run(OpenSsl ?? "openssl", args, TimeSpan.FromSeconds(60), Directory);
        Assert.True(code == 0, $"openssl {string.Join(' ', args)} failed ({code}): {text}");
    }
}
