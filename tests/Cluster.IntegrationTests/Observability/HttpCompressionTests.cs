using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Cluster.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Cluster.IntegrationTests.Observability;

/// <summary>
/// The HTTP port compresses for a client that asks (a browser does): the dashboard's live stream event by event, and
/// <c>/metrics</c>. A client that does not ask gets plain text, as the tools and tests that read it expect.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class HttpCompressionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DashboardStream_ClientAcceptsGzip_EachEventArrivesCompressedAsItIsSent()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 2);
        using var http = Client(cluster, "gzip");

        using var response = await http.GetAsync(new Uri(await cluster.HttpUrlAsync(), "/dashboard/api/stream"), HttpCompletionOption.ResponseHeadersRead).WaitAsync(Bound);
        response.EnsureSuccessStatusCode();
        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        // The stream never ends: each event can be read only if the compressor flushed it when it was sent (a held-back
        // one would stay in its buffer for many events, past the bound).
        using var reader = new StreamReader(new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress));
        for (var i = 0; i < 2; i++)
        {
            var line = await reader.ReadLineAsync().WaitAsync(Bound);
            Assert.NotNull(line);
            Assert.StartsWith("data: ", line, StringComparison.Ordinal);
            using var state = JsonDocument.Parse(line["data: ".Length..]);
            Assert.Equal(2, state.RootElement.GetProperty("workers").GetArrayLength());
            Assert.Equal(string.Empty, await reader.ReadLineAsync().WaitAsync(Bound));
        }
    }

    [Fact]
    public async Task Metrics_GzipAskedOrNot_CompressedOnlyWhenAskedAndTheSameText()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 1);
        var metrics = new Uri(await cluster.HttpUrlAsync(), "/metrics");
        using var plainClient = Client(cluster, acceptEncoding: null);
        using var gzipClient = Client(cluster, "gzip");

        using var plain = await plainClient.GetAsync(metrics).WaitAsync(Bound);
        using var gzipped = await gzipClient.GetAsync(metrics).WaitAsync(Bound);
        var plainText = await plain.Content.ReadAsStringAsync();
        var wire = await gzipped.Content.ReadAsByteArrayAsync();
        using var inflated = new StreamReader(new GZipStream(new MemoryStream(wire), CompressionMode.Decompress));
        var gzipText = await inflated.ReadToEndAsync();

        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal(["gzip"], gzipped.Content.Headers.ContentEncoding);
        Assert.Equal(1, MetricsText.Value(plainText, "cluster_workers"));
        Assert.Equal(1, MetricsText.Value(gzipText, "cluster_workers"));
        Assert.True(wire.Length < plainText.Length / 3, $"gzip sent {wire.Length} bytes for {plainText.Length} of text");
        output.WriteLine($"figure metrics-gzip: {plainText.Length} bytes of text, {wire.Length} on the wire with gzip");
    }

    /// <summary>A client with the cluster's client token that decompresses nothing itself, asking for <paramref name="acceptEncoding"/> if any.</summary>
    private static HttpClient Client(TestCluster cluster, string? acceptEncoding)
    {
        var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { Timeout = Bound };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", cluster.Cluster.ClientToken);
        if (acceptEncoding is not null)
        {
            http.DefaultRequestHeaders.AcceptEncoding.Add(new StringWithQualityHeaderValue(acceptEncoding));
        }

        return http;
    }
}
