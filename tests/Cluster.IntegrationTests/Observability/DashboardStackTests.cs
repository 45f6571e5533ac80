using Cluster.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.SchedulingTests;

namespace Cluster.IntegrationTests.Observability;

/// <summary>
/// The dashboard's long chunks in a real browser: a chunk that deadlocks on purpose runs far past its job's median, is
/// marked, and its stacks button shows its thread waiting in the method that deadlocked.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class DashboardStackTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    [ChromiumFact]
    public async Task Dashboard_DeadlockedChunk_MarkedLongAndItsStacksNameTheWaitingMethod()
    {
        // No backup attempts: the deadlocked chunk stays on its worker; the other chunks finish and give the job a median.
        // A long lease: on a loaded machine a worker whose heartbeats lag would lose its attempts, and the deadlocked
        // thread's chunk would come back to it queued behind that thread.
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, coordinatorArgs: ["--Coordinator:BackupAttempts=false", "--Coordinator:Lease=00:00:30"]);
        var job = await cluster.Client.SubmitAsync(Chaos(chunks: 12, ms: 50, ("fail-chunk", 2L), ("mode", "deadlock")));
        var http = await cluster.HttpUrlAsync();
        await using var browser = await HeadlessChromium.StartAsync(HeadlessChromium.Find()!, Bound);
        try
        {
            await browser.NavigateAsync(new Uri(http, $"/?token={Uri.EscapeDataString(cluster.Cluster.ClientToken!)}&job={job.JobId}"));
            var marked = (await browser.WaitForAsync(
                "(li => li ? li.textContent : null)(document.querySelector('#long-chunks li[data-chunk=\"2\"]'))",
                Bound,
                "chunk 2 marked long")).GetString();
            output.WriteLine($"marked: {marked}; rule: {(await browser.EvaluateAsync("document.getElementById('long-rule').textContent")).GetString()}");

            await browser.WaitForAsync("(b => b ? (b.click(), true) : null)(document.querySelector('#long-chunks li[data-chunk=\"2\"] button.stacks'))", Bound, "the stacks button");
            var stacks = (await browser.WaitForAsync(
                "(p => p.textContent.includes('DeadlockOnPurpose') ? p.textContent : null)(document.getElementById('stacks'))",
                Bound,
                "the stacks naming the deadlocking method")).GetString()!;

            output.WriteLine(stacks);
            Assert.Contains("chunk 2 attempt 1 on local-", stacks, StringComparison.Ordinal);
            Assert.Contains("running, thread compute-0", stacks, StringComparison.Ordinal);
            Assert.Matches(@"    at Cluster\.TestKinds\.ChaosKind\+ChaosExecutor\.DeadlockOnPurpose\(\)", stacks);
            await cluster.Client.CancelAsync(job.JobId);
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
