using System.Diagnostics;
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

    public DashboardProbe(Uri httpAddress, string? token)
    {
        _http = new HttpClient { BaseAddress = httpAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
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
    public async Task<StreamCount> ReadStreamAsync(string? job, CancellationToken cancellationToken)
    {
        var count = new StreamCount();
        try
        {
            using var response = await _http.GetAsync(Api + "stream" + (job is null ? string.Empty : "?job=" + job), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
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

        return count;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>What one open stream received.</summary>
    internal sealed class StreamCount
    {
        public long Events { get; set; }

        public long Bytes { get; set; }
    }
}
