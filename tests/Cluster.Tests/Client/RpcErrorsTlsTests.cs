using System.Security.Authentication;
using Cluster.Client;
using Grpc.Core;

namespace Cluster.Tests.Client;

/// <summary>A connection that fails on TLS, not on the network, reads as one sentence that says what to change.</summary>
public sealed class RpcErrorsTlsTests
{
    private static readonly Uri Plain = new("http://127.0.0.1:7400");
    private static readonly Uri Tls = new("https://127.0.0.1:7400");

    [Fact]
    public void Translate_PlaintextAgainstTls_SaysUseHttps()
    {
        var cause = new HttpRequestException("An error occurred while sending the request.", new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely."));

        var error = RpcErrors.Translate(new RpcException(new Status(StatusCode.Unavailable, "Error starting gRPC call.", cause)), Plain, TimeSpan.FromSeconds(30));

        Assert.Equal("The coordinator at http://127.0.0.1:7400 closed the connection at once, as one that serves TLS does: use an https:// address.", error.Message);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public void Translate_PlaintextAgainstTlsClosedBeforeTheHttp2Handshake_SaysUseHttps()
    {
        const string NotEstablished = "An HTTP/2 connection could not be established because the server did not complete the HTTP/2 handshake.";
        var cause = new HttpRequestException(NotEstablished, new IOException(NotEstablished, new IOException("Connection reset by peer")));

        var error = RpcErrors.Translate(new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call.", cause)), Plain, TimeSpan.FromSeconds(30));

        Assert.Equal("The coordinator at http://127.0.0.1:7400 closed the connection at once, as one that serves TLS does: use an https:// address.", error.Message);
        Assert.True(error.IsUnreachable);
    }

    [Fact]
    public void Translate_PlaintextCoordinatorFailingInternally_NotCalledATlsMismatch()
    {
        var error = RpcErrors.Translate(new RpcException(new Status(StatusCode.Internal, "boom", new InvalidOperationException("boom"))), Plain, TimeSpan.FromSeconds(30));

        Assert.DoesNotContain("https://", error.Message, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Internal, error.StatusCode);
    }

    [Fact]
    public void Translate_TlsAgainstPlaintext_SaysUseHttp()
    {
        var cause = new HttpRequestException("The SSL connection could not be established, see inner exception.", new AuthenticationException("Cannot determine the frame size or a corrupted frame was received."));

        var error = RpcErrors.Translate(new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call.", cause)), Tls, TimeSpan.FromSeconds(30));

        Assert.Equal("The coordinator at https://127.0.0.1:7400 does not speak TLS (cannot determine the frame size or a corrupted frame was received): if it serves plaintext, use an http:// address.", error.Message);
        Assert.True(error.IsUnreachable);
    }

    [Fact]
    public void Translate_UntrustedCertificate_SaysGiveCa()
    {
        var cause = new HttpRequestException("The SSL connection could not be established, see inner exception.", new AuthenticationException("The remote certificate is invalid because of errors in the certificate chain: PartialChain"));

        var error = RpcErrors.Translate(new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call.", cause)), Tls, TimeSpan.FromSeconds(30));

        Assert.StartsWith("The coordinator at https://127.0.0.1:7400 presented a TLS certificate this client does not trust (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("give the CA that signed it (--ca, or ClusterClientOptions.CaCertificateFile).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_ClientCertificateRefused_SaysGiveClientCertificate()
    {
        var cause = new HttpRequestException("An error occurred while sending the request.", new ObjectDisposedException("System.Net.Security.SslStream"));

        var error = RpcErrors.Translate(new RpcException(new Status(StatusCode.Unavailable, "Error starting gRPC call.", cause)), Tls, TimeSpan.FromSeconds(30));

        Assert.StartsWith("The coordinator at https://127.0.0.1:7400 closed the TLS connection: it requires a client certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_ConnectionRefusedOverHttps_KeepsCannotReach()
    {
        var cause = new HttpRequestException("Connection refused (127.0.0.1:7400)");

        var error = RpcErrors.Translate(new RpcException(new Status(StatusCode.Unavailable, "Error connecting.", cause)), Tls, TimeSpan.FromSeconds(30));

        Assert.StartsWith("Cannot reach the coordinator at https://127.0.0.1:7400", error.Message, StringComparison.Ordinal);
    }
}
