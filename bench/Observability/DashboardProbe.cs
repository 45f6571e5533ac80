using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;

namespace Cluster.Bench.Observability;

/// <summary>
/// What a browser does to the dashboard, done by a plain HTTP client with the cluster's client token: fetch the state
/// (timed), and hold the live event stream open (counting what arrives).
/// </summary>
internal sealed class DashboardProbe : IDisposable
{
    private const string Api = "/dashboard/api/";
    private readonly HttpClient _http;

    // As a browser asks: gzip accepted, the body decompressed here so that the bytes on the wire can be counted.
    private readonly HttpClient _gzip;

    public DashboardProbe(Uri httpAddress, string? token)
    {
        _http = new HttpClient { BaseAddress = httpAddress, Timeout = TimeSpan.FromSeconds(60) };
        _gzip = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = httpAddress, Timeout = TimeSpan.FromSeconds(60) };
        _gzip.DefaultRequestHeaders.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        foreach (var client in new[] { _http, _gzip })
        {
            if (token is not null)
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
        }
    }

    /// <summary>One fetch of the dashboard's state (with <paramref name="job"/>'s timeline when named): its time and size.</summary>
    public async Task<(TimeSpan Elapsed, long Bytes)> FetchStateAsync(string? job, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var body = await _http.GetByteArrayAsync(Api + "state" + (job is null ? string.Empty : "?job=" + job), cancellationToken);
        return (clock.Elapsed, body.LongLength);
    }

    /// <summary>Opens the event stream (with <paramref name="job"/>'s timeline when named) and reads it until cancelled.</summary>
    /// <remarks>With <paramref name="gzip"/>, it accepts gzip as a browser does; the stream must then come compressed.</remarks>
    public async Task<StreamCount> ReadStreamAsync(string? job, CancellationToken cancellationToken, bool gzip = false)
    {
        var count = new StreamCount();
        ByteCountingStream? wire = null;
        try
        {
            using var response = await (gzip ? _gzip : _http).GetAsync(Api + "stream" + (job is null ? string.Empty : "?job=" + job), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            wire = new ByteCountingStream(await response.Content.ReadAsStreamAsync(cancellationToken));
            if (gzip && !response.Content.Headers.ContentEncoding.Contains("gzip"))
            {
                throw new InvalidOperationException($"The dashboard stream came as '{string.Join(',', response.Content.Headers.ContentEncoding)}', not gzip, to a client that accepts gzip.");
            }

            using var reader = new StreamReader(gzip ? new GZipStream(wire, CompressionMode.Decompress) : wire);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                count.Bytes += line.Length + 1;
                if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    count.Events++;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller closed the page: what arrived until then is the answer.
        }

        count.WireBytes = wire?.Count ?? 0;
        return count;
    }

    public void Dispose()
    {
        _http.Dispose();
        _gzip.Dispose();
    }

    /// <summary>What one open stream received.</summary>
    internal sealed class StreamCount
    {
        public long Events { get; set; }

        /// <summary>Bytes of the events as read (decompressed).</summary>
        public long Bytes { get; set; }

        /// <summary>Bytes that crossed the wire (compressed, when gzip was asked for).</summary>
        public long WireBytes { get; set; }
    }
}
