using System.Net.Sockets;
using Cluster.Client;
using Grpc.Core;

namespace Cluster.Tests.Client;

public sealed class RpcErrorsTests
{
    private static readonly Uri Address = new("http://127.0.0.1:7400");

    [Fact]
    public void Translate_Unavailable_SaysCannotReachWithInnermostCause()
    {
        var cause = new HttpRequestException("Connection refused (127.0.0.1:7400)", new SocketException((int)SocketError.ConnectionRefused));
        var rpc = new RpcException(new Status(StatusCode.Unavailable, "Error connecting to subchannel.", cause));

        var error = RpcErrors.Translate(rpc, Address, TimeSpan.FromSeconds(30));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.True(error.IsUnreachable);
        Assert.Equal($"Cannot reach the coordinator at http://127.0.0.1:7400: {Sentences.Lower(new SocketException((int)SocketError.ConnectionRefused).Message)}.", error.Message);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument, "from must be less than 'to'", "from must be less than 'to'.")]
    [InlineData(StatusCode.NotFound, "No job 'abc'.", "No job 'abc'.")]
    public void Translate_Rejection_KeepsServerMessageAndStatus(StatusCode status, string detail, string expected)
    {
        var error = RpcErrors.Translate(new RpcException(new Status(status, detail)), Address, TimeSpan.FromSeconds(30));

        Assert.Equal(expected, error.Message);
        Assert.Equal(status, error.StatusCode);
        Assert.False(error.IsUnreachable);
    }

    [Fact]
    public void Translate_DeadlineExceeded_NamesTimeout()
    {
        var error = RpcErrors.Translate(new RpcException(new Status(StatusCode.DeadlineExceeded, "")), Address, TimeSpan.FromSeconds(30));

        Assert.Equal("The coordinator at http://127.0.0.1:7400 did not answer within 30 s.", error.Message);
        Assert.True(error.IsUnreachable);
    }

    [Theory]
    [InlineData("Connection refused", "connection refused")]
    [InlineData("HTTP/2 error.", "HTTP/2 error")]
    public void Lower_FirstWord_LowersUnlessAcronym(string text, string expected) => Assert.Equal(expected, Sentences.Lower(text));

    [Fact]
    public void NeverConnected_ConnectionRefused_True()
    {
        var rpc = new RpcException(new Status(StatusCode.Unavailable, "Error connecting to subchannel.", new SocketException((int)SocketError.ConnectionRefused)));

        Assert.True(RpcErrors.NeverConnected(new ClusterException("x", StatusCode.Unavailable, rpc)));
    }

    [Fact]
    public void NeverConnected_StreamAbortedAfterSending_False()
    {
        var rpc = new RpcException(new Status(StatusCode.Unavailable, "Error reading next message.", new IOException("The request was aborted.")));

        Assert.False(RpcErrors.NeverConnected(new ClusterException("x", StatusCode.Unavailable, rpc)));
    }
}
