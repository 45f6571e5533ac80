using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Cluster.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.BuiltInKindTests;

namespace Cluster.IntegrationTests.Observability;

/// <summary>
/// <c>/metrics</c> on the coordinator's HTTP port, checked with the real tools: Debian's <c>promtool check metrics</c> on
/// what it serves, and a real Prometheus server that scrapes it with the client token and answers a query.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class MetricsTests(ITestOutputHelper output) : IDisposable
{
    private const long Chunks = 40;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("cluster-metrics-");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [PrometheusFact]
    public async Task Metrics_AfterAJob_CountItsChunksAndPassPromtool()
    {
        await using var cluster = await TestCluster.StartAsync(output);
        var job = await cluster.RunAsync(WithChunks(Spec("primes", ("from", 0L), ("to", 100_000L))));
        Assert.Equal(9_592, Json(job).GetProperty("count").GetInt64());

        var text = await ScrapeAsync(await cluster.HttpUrlAsync(), cluster.Cluster.ClientToken);

        Assert.Equal(Chunks, MetricsText.Value(text, "cluster_chunks_done_total"));
        Assert.Equal(Chunks, MetricsText.Value(text, "cluster_chunk_duration_seconds_count", "kind=\"primes\""));
        Assert.Equal(1, MetricsText.Value(text, "cluster_jobs", "state=\"succeeded\""));
        Assert.Equal(2, MetricsText.Value(text, "cluster_workers"));
        Assert.Equal(2, MetricsText.Value(text, "cluster_worker_threads", "state=\"idle\"") + MetricsText.Value(text, "cluster_worker_threads", "state=\"busy\""));
        Assert.True(MetricsText.Value(text, "cluster_io_bytes_total", "direction=\"receive\"", "flow=\"chunk_output\"") > 0);
        Assert.True(MetricsText.Value(text, "dotnet_process_cpu_time_seconds_total", "cpu_mode=\"user\"") > 0);
        Assert.True(MetricsText.Value(text, "dotnet_process_memory_working_set_bytes") > 0);

        var exposition = Path.Combine(_work.FullName, "metrics.txt");
        await File.WriteAllTextAsync(exposition, text);
        var (code, lint) = ToolProcess.Run("/bin/sh", ["-c", $"promtool check metrics < '{exposition}'"], Bound);
        Assert.True(code == 0, $"promtool check metrics exited with {code}:\n{lint}");
    }

    [Fact]
    public async Task Metrics_WithoutTokenOrWithAWorkerToken_RefusedAndTheClusterRunsOn()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 1);
        var url = await cluster.HttpUrlAsync();

        using (var none = await _http.GetAsync(new Uri(url, "/metrics")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(url, "not-a-token"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(url, cluster.Cluster.WorkerToken));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(url, cluster.Cluster.ClientToken));
        Assert.Equal(78_498, Json(await cluster.RunAsync(Spec("primes", ("from", 0L), ("to", 1_000_000L)))).GetProperty("count").GetInt64());
    }

    [PrometheusFact]
    public async Task Prometheus_ScrapingTheCoordinatorWithTheClientToken_AnswersAQueryForChunksDone()
    {
        await using var cluster = await TestCluster.StartAsync(output);
        var job = await cluster.RunAsync(WithChunks(Spec("primes", ("from", 0L), ("to", 100_000L))));
        Assert.Equal(9_592, Json(job).GetProperty("count").GetInt64());
        var target = await cluster.HttpUrlAsync();
        var tokenFile = Path.Combine(_work.FullName, "client.token");
        await File.WriteAllTextAsync(tokenFile, cluster.Cluster.ClientToken);
        // The shipped scrape configuration and alert rules, pointed at this coordinator and this token, scraping every second.
        var shipped = Path.Combine(Executables.Root, "deploy", "prometheus");
        var config = Path.Combine(_work.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(Path.Combine(shipped, "prometheus.yml")))
            .Replace("coordinator.example:7401", target.Authority, StringComparison.Ordinal)
            .Replace("/etc/prometheus/cluster-client.token", tokenFile, StringComparison.Ordinal)
            .Replace("scrape_interval: 15s", "scrape_interval: 1s", StringComparison.Ordinal));
        File.Copy(Path.Combine(shipped, "alerts.yml"), Path.Combine(_work.FullName, "alerts.yml"));
        var port = FreePort();
        using var prometheus = ToolProcess.Start(
            ToolProcess.Find("prometheus")!,
            ["--config.file", config, "--storage.tsdb.path", Path.Combine(_work.FullName, "data"), "--web.listen-address", $"127.0.0.1:{port}"]);

        var query = new Uri($"http://127.0.0.1:{port}/api/v1/query?query=cluster_chunks_done_total");
        double? seen = null;
        using var deadline = new CancellationTokenSource(Bound);
        while (seen != Chunks)
        {
            seen = await QueryAsync(query, deadline.Token);
            if (seen != Chunks)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
            }
        }

        Assert.Equal(Chunks, seen);
    }

    [PrometheusFact]
    public void AlertRules_PromtoolRuleTests_EachAlertFiresWhenItShould()
    {
        var (code, text) = ToolProcess.Run(ToolProcess.Find("promtool")!, ["test", "rules", "alerts.test.yml"], Bound, Path.Combine(Executables.Root, "deploy", "prometheus"));

        Assert.True(code == 0, $"promtool test rules exited with {code}:\n{text}");
    }

    public void Dispose()
    {
        _http.Dispose();
        _work.Delete(recursive: true);
    }

    private static Cluster.Contracts.V1.JobSpec WithChunks(Cluster.Contracts.V1.JobSpec spec)
    {
        spec.Chunks = Chunks;
        return spec;
    }


    private async Task<string> ScrapeAsync(Uri url, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "/metrics"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<HttpStatusCode> StatusAsync(Uri url, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "/metrics"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>The value Prometheus answers for an instant query, or null while it has none yet (or is not up yet).</summary>
    private async Task<double?> QueryAsync(Uri query, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(query, cancellationToken);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var result = json.RootElement.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 1 ? double.Parse(result[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        catch (HttpRequestException)
        {
            // Prometheus is still starting: not listening yet.
            return null;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
