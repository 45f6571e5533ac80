using System.Net;
using System.Security.Cryptography;
using Cluster.Hosting.Inputs;

namespace Cluster.Tests.Hosting.Inputs;

/// <summary>Range reads over HTTP: transient failures retried, a changed resource or a server without ranges refused with a sentence.</summary>
public sealed class HttpInputSourceTests
{
    private static readonly Uri Uri = new("http://inputs.test/data.bin");
    private static readonly HttpInputSettings NoDelays = new() { Retries = 3, RetryDelay = TimeSpan.Zero, RetryMaxDelay = TimeSpan.Zero };
    private readonly byte[] _data = RandomNumberGenerator.GetBytes(10_000);

    [Fact]
    public async Task ProbeAsync_RangeServer_LengthAndETag()
    {
        var (server, source) = Serve("\"v1\"");

        var info = await source.ProbeAsync(Uri, CancellationToken.None);

        Assert.Equal(new HttpInputInfo(10_000, "\"v1\""), info);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task ProbeAsync_EmptyResource_LengthZeroFromUnsatisfiableRange()
    {
        var (server, source) = Serve("\"e\"");
        server.Content = [];

        Assert.Equal(new HttpInputInfo(0, "\"e\""), await source.ProbeAsync(Uri, CancellationToken.None));
    }

    [Fact]
    public async Task ProbeAsync_ServerIgnoresRanges_ChangedExceptionSayingSo()
    {
        var (server, source) = Serve("\"v1\"");
        server.IgnoresRanges = true;

        var e = await Assert.ThrowsAsync<HttpInputChangedException>(() => source.ProbeAsync(Uri, CancellationToken.None));

        Assert.Contains("does not answer range requests", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TransientFailuresWithinRetries_ReadsTheRange()
    {
        var (server, source) = Serve("\"v1\"");
        server.Failures.Enqueue(HttpStatusCode.ServiceUnavailable);
        server.Failures.Enqueue(HttpStatusCode.BadGateway);
        server.Failures.Enqueue(HttpStatusCode.TooManyRequests);
        var input = new HttpJobInput(source, Uri, new HttpInputInfo(_data.Length, "\"v1\""));
        var buffer = new byte[3_000];

        var read = input.Read(7_500, buffer);

        Assert.Equal(2_500, read);
        Assert.Equal(_data.AsSpan(7_500).ToArray(), buffer.AsSpan(0, read).ToArray());
        Assert.Equal(4, server.Requests);
    }

    [Fact]
    public void Read_MoreTransientFailuresThanRetries_HttpRequestException()
    {
        var (server, source) = Serve("\"v1\"");
        for (var i = 0; i < 4; i++)
        {
            server.Failures.Enqueue(HttpStatusCode.ServiceUnavailable);
        }

        var input = new HttpJobInput(source, Uri, new HttpInputInfo(_data.Length, "\"v1\""));

        var e = Assert.Throws<HttpRequestException>(() => input.Read(0, new byte[100]));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
        Assert.Equal(4, server.Requests);
    }

    [Fact]
    public void Read_ETagChanged_ChangedSentenceWithoutRetry()
    {
        var (server, source) = Serve("\"v2\"");
        var input = new HttpJobInput(source, Uri, new HttpInputInfo(_data.Length, "\"v1\""));

        var e = Assert.Throws<HttpInputChangedException>(() => input.Read(0, new byte[100]));

        Assert.Contains("changed after the job was submitted: its ETag is \"v2\" now", e.Message, StringComparison.Ordinal);
        Assert.Contains("resubmit", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public void Read_LengthChanged_ChangedSentence()
    {
        var (server, source) = Serve(string.Empty);
        server.Content = _data[..9_000];
        var input = new HttpJobInput(source, Uri, new HttpInputInfo(_data.Length, string.Empty));

        var e = Assert.Throws<HttpInputChangedException>(() => input.Read(0, new byte[100]));

        Assert.Contains("it is 9000 bytes long now, but it was 10000 bytes long", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotFound_ChangedExceptionWithoutRetry()
    {
        var (server, source) = Serve("\"v1\"");
        server.Failures.Enqueue(HttpStatusCode.NotFound);
        var input = new HttpJobInput(source, Uri, new HttpInputInfo(_data.Length, "\"v1\""));

        var e = Assert.Throws<HttpInputChangedException>(() => input.Read(0, new byte[100]));

        Assert.Contains("404", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public void Read_AtOrPastTheEnd_ZeroWithoutRequest()
    {
        var (server, source) = Serve("\"v1\"");
        var input = new HttpJobInput(source, Uri, new HttpInputInfo(_data.Length, "\"v1\""));

        Assert.Equal(0, input.Read(_data.Length, new byte[10]));
        Assert.Equal(0, server.Requests);
    }

    private (FakeRangeServer Server, HttpInputSource Source) Serve(string etag)
    {
        var server = new FakeRangeServer(_data, etag);
        return (server, new HttpInputSource(new HttpClient(server), NoDelays));
    }
}
