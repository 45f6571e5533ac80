using System.Net;
using System.Text.Json;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.Processes;

namespace Cluster.IntegrationTests.Observability;

/// <summary>
/// The dashboard address the real <c>cluster</c> command prints: opened as a browser would (the <c>?token=</c> in it
/// swapped for a cookie), it serves the page and the live state of that very cluster.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class DashboardAddressTests
{
    private const string SubmitNote = "Dashboard (while the job runs): ";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Local_Started_PrintsDashboardAddressThatShowsItsWorkers()
    {
        using var cli = CliProcess.Start("local", "--workers", "2", "--port", "0");
        try
        {
            var address = await LineAfterAsync(() => cli.Stdout, "dashboard: ");

            using var browser = new Browser();
            var page = await browser.OpenAsync(address);
            var workers = await TestCluster.PollAsync(() => browser.StateAsync(), s => s.GetProperty("workers").GetArrayLength() == 2, Timeout, "two workers on the dashboard");

            Assert.Contains("<title>", page, StringComparison.Ordinal);
            Assert.All(workers.GetProperty("workers").EnumerateArray(), w => Assert.Equal("connected", w.GetProperty("state").GetString()));
            using var stranger = new HttpClient { BaseAddress = new Uri(address) };
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync(new Uri("/dashboard/api/state", UriKind.Relative))).StatusCode);
        }
        finally
        {
            Signals.Send(cli.Pid, Signals.SigTerm);
            await cli.WaitForExitAsync(Timeout);
        }
    }

    [Fact]
    public async Task Submit_EmbeddedCluster_PrintsDashboardAddressThatShowsTheRunningJob()
    {
        using var cli = CliProcess.Start("submit", "sleep", "--ms", "100", "--chunks", "60", "--workers", "1", "--threads", "1");
        var exited = cli.WaitForExitAsync(Timeout);

        var address = await LineAfterAsync(() => cli.Stderr, SubmitNote);
        using var browser = new Browser();
        await browser.OpenAsync(address);
        var state = await TestCluster.PollAsync(() => browser.StateAsync(), s => s.GetProperty("jobs").GetArrayLength() == 1, Timeout, "the job on the dashboard");

        var job = state.GetProperty("jobs")[0];
        Assert.Equal("sleep", job.GetProperty("kind").GetString());
        Assert.Equal(60, job.GetProperty("chunksTotal").GetInt64());
        Assert.Equal(0, await exited);
    }

    // The address printed after the prefix at a line start, once its line is complete.
    private static async Task<string> LineAfterAsync(Func<string> output, string prefix)
    {
        var text = await TestCluster.PollAsync(() => Task.FromResult("\n" + output()), o => End(o) > 0, Timeout, $"a line starting '{prefix}'");
        var start = text.IndexOf("\n" + prefix, StringComparison.Ordinal) + 1 + prefix.Length;
        var address = text[start..End(text)].Trim();
        Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
        Assert.Contains("?token=", address, StringComparison.Ordinal);
        return address;

        int End(string o) => o.IndexOf("\n" + prefix, StringComparison.Ordinal) is var i and >= 0 ? o.IndexOf('\n', i + 1) : -1;
    }

    /// <summary>An HTTP client that keeps cookies, as a browser does.</summary>
    private sealed class Browser : IDisposable
    {
        private readonly HttpClient _http = new(new HttpClientHandler { CookieContainer = new CookieContainer() }) { Timeout = TimeSpan.FromSeconds(30) };
        private Uri? _root;

        public async Task<string> OpenAsync(string address)
        {
            var uri = new Uri(address);
            _root = new Uri(uri.GetLeftPart(UriPartial.Authority));
            using var response = await _http.GetAsync(uri);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("token=", response.RequestMessage!.RequestUri!.Query, StringComparison.Ordinal);
            return await response.Content.ReadAsStringAsync();
        }

        public async Task<JsonElement> StateAsync() =>
            JsonDocument.Parse(await _http.GetStringAsync(new Uri(_root!, "/dashboard/api/state"))).RootElement;

        public void Dispose() => _http.Dispose();
    }
}
