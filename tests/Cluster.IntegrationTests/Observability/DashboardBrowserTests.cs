using System.Text.Json;
using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.TestKinds;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.BuiltInKindTests;
using static Cluster.IntegrationTests.EndToEnd.SchedulingTests;

namespace Cluster.IntegrationTests.Observability;

/// <summary>The dashboard in a real browser (headless Chromium over the DevTools protocol) against a real cluster.</summary>
[Collection(ProcessCollection.Name)]
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    /// <summary>Where the screenshot goes: <c>CLUSTER_DASHBOARD_SCREENSHOT</c> (docs/dashboard.png for the README), else a temporary file.</summary>
    private static readonly string ScreenshotPath = Environment.GetEnvironmentVariable("CLUSTER_DASHBOARD_SCREENSHOT") is { Length: > 0 } path
        ? path
        : Path.Combine(Path.GetTempPath(), "cluster-dashboard.png");

    [ChromiumFact]
    public async Task Dashboard_JobWithKilledWorker_ProgressMovesDepartureShownRetriedAttemptInTimelineAndCancelWorks()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, threads: 2);
        var watched = await cluster.Client.SubmitAsync(Chaos(chunks: 120, ms: 200));
        var doomed = await cluster.Client.SubmitAsync(Chaos(chunks: 2000, ms: 200));
        var http = await cluster.HttpUrlAsync();
        await using var browser = await HeadlessChromium.StartAsync(HeadlessChromium.Find()!, Bound);
        try
        {
            // The token goes in the address once; the coordinator swaps it for a cookie and redirects.
            await browser.NavigateAsync(new Uri(http, $"/?token={Uri.EscapeDataString(cluster.Cluster.ClientToken!)}&job={watched.JobId}"));
            var location = (await browser.WaitForAsync("location.search.includes('job=') && !location.search.includes('token=') && location.href", Bound, "the redirect without the token")).GetString();
            output.WriteLine($"page: {location}");

            // Cancel: the second job's button, and the coordinator says it is cancelled.
            await browser.WaitForAsync($"(b => b ? (b.click(), true) : null)(document.querySelector('tr[data-job-id=\"{doomed.JobId}\"] button.cancel'))", Bound, "the cancel button");
            await browser.WaitForAsync($"document.querySelector('tr[data-job-id=\"{doomed.JobId}\"] .state-cancelled') !== null", Bound, "the job shown cancelled");
            Assert.Equal(JobState.Cancelled, (await cluster.Client.GetJobAsync(doomed.JobId)).State);

            // The progress bar moves.
            var bar = $"document.querySelector('tr[data-job-id=\"{watched.JobId}\"] .bar')";
            var first = (await browser.WaitForAsync($"{bar} && Number({bar}.dataset.done) > 0 && Number({bar}.dataset.done)", Bound, "chunks done")).GetInt64();
            var later = (await browser.WaitForAsync($"Number({bar}.dataset.done) > {first} && Number({bar}.dataset.done)", Bound, "the bar to move")).GetInt64();
            var width = (await browser.EvaluateAsync($"{bar}.firstChild.style.width")).GetString();
            output.WriteLine($"progress {first} then {later} of 120, bar width {width}");
            Assert.NotEqual("0.00%", width);

            // A worker killed with SIGKILL shows as departed, with its reason.
            var victim = cluster.Cluster.Workers[1];
            victim.Kill();
            var reason = (await browser.WaitForAsync(
                "[...document.querySelectorAll('[data-state=\"departed\"] .departure')].map(e => e.textContent).find(t => t.includes('signal 9'))",
                Bound,
                "the killed worker shown departed with its exit")).GetString();
            output.WriteLine($"departure shown: {reason}");
            var listed = await cluster.Client.ListWorkersAsync(includeDeparted: true);
            Assert.Contains(listed, w => w.Status == "departed" && w.DepartureReason == reason);

            // The timeline shows the lost attempt and the retry of its chunk; the chart has bars.
            var retried = await browser.WaitForAsync(
                "(() => { const lost = [...document.querySelectorAll('#attempts li[data-outcome=\"lost\"]')].map(l => l.dataset.chunk);"
                + " const retry = [...document.querySelectorAll('#attempts li')].find(l => lost.includes(l.dataset.chunk) && Number(l.dataset.attempt) > 1);"
                + " return retry ? retry.textContent : null; })()",
                Bound,
                "a lost attempt and its retry in the timeline");
            output.WriteLine($"retry shown: {retried.GetString()}");
            Assert.True((await browser.EvaluateAsync("window.dashboard.bars.length")).GetInt32() > 0, "the Gantt chart drew no bar");

            var png = await browser.ScreenshotAsync();
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            await File.WriteAllBytesAsync(ScreenshotPath, png);
            output.WriteLine($"screenshot: {ScreenshotPath} ({png.Length} bytes)");

            var done = await cluster.Client.WaitForCompletionAsync(watched.JobId).WaitAsync(Bound);
            Assert.Equal(ChaosKind.ExpectedSum(120), Json(done).GetProperty("sum").GetInt64());
            Assert.True(done.LostAttempts >= 1, "the killed worker held no chunk of the job");
            await browser.WaitForAsync($"document.querySelector('tr[data-job-id=\"{watched.JobId}\"] .state-succeeded') !== null", Bound, "the job shown succeeded");
        }
        finally
        {
            foreach (var line in browser.Output.TakeLast(20))
            {
                output.WriteLine("chromium: " + line);
            }
        }
    }

    [ChromiumFact]
    public async Task Dashboard_ThousandWorkersAndHundredJobs_DrawsOnlyTheWorkerRowsInViewAndScrollsToTheLast()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 1, threads: 1);
        await cluster.Client.SubmitAsync(Chaos(chunks: 50, ms: 100));
        var http = await cluster.HttpUrlAsync();
        await using var browser = await HeadlessChromium.StartAsync(HeadlessChromium.Find()!, Bound);
        try
        {
            await browser.NavigateAsync(new Uri(http, $"/?token={Uri.EscapeDataString(cluster.Cluster.ClientToken!)}"));
            await browser.WaitForAsync("window.dashboard && dashboard.last && dashboard.last.jobs.length > 0 && dashboard.last.workers.length > 0", Bound, "a first state");

            // The live stream closed, the page is handed a state of 1,000 workers and 100 jobs made from the real one.
            var drawn = JsonDocument.Parse((await browser.EvaluateAsync("""
                (() => {
                  dashboard.source.close();
                  const s = structuredClone(dashboard.last);
                  const w = s.workers[0], j = s.jobs[0];
                  s.workers = Array.from({ length: 1000 }, (_, i) => ({ ...w, id: 'sim-' + i }));
                  s.jobs = Array.from({ length: 100 }, (_, i) => ({ ...j, id: j.id.slice(0, 24) + i.toString(16).padStart(8, '0') }));
                  const start = performance.now();
                  dashboard.render(s);
                  const ms = performance.now() - start;
                  return JSON.stringify({ ms, workerRows: document.querySelectorAll('#workers-rows .wrow').length, jobRows: document.querySelectorAll('tr[data-job-id]').length });
                })()
                """)).GetString()!).RootElement;
            output.WriteLine($"1,000 workers and 100 jobs rendered in {drawn.GetProperty("ms").GetDouble():0.0} ms: {drawn.GetProperty("workerRows").GetInt32()} worker rows, {drawn.GetProperty("jobRows").GetInt32()} job rows in the document");

            Assert.Equal(100, drawn.GetProperty("jobRows").GetInt32());
            Assert.InRange(drawn.GetProperty("workerRows").GetInt32(), 1, 100);
            await browser.EvaluateAsync("(e => { e.scrollTop = e.scrollHeight; e.dispatchEvent(new Event('scroll')); })(document.getElementById('workers'))");
            await browser.WaitForAsync("[...document.querySelectorAll('#workers-rows .wrow')].some(r => r.dataset.workerId === 'sim-999')", Bound, "the last worker's row after scrolling to the end");
        }
        finally
        {
            foreach (var line in browser.Output.TakeLast(20))
            {
                output.WriteLine("chromium: " + line);
            }
        }
    }
}
