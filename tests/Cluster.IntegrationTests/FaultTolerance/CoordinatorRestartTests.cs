using System.Text;
using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.TestKinds;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.BuiltInKindTests;
using static Cluster.IntegrationTests.EndToEnd.SchedulingTests;

namespace Cluster.IntegrationTests.FaultTolerance;

/// <summary>A coordinator with a data directory, SIGKILLed and started again on it: its jobs carry on where they stood.</summary>
[Collection(ProcessCollection.Name)]
public sealed class CoordinatorRestartTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly RestartScratch _scratch = new("cluster-restart-test-");

    private string DataDir => _scratch.DataDir;

    private string CountDir => _scratch.CountDir;

    [Theory]
    [InlineData(25)]
    [InlineData(50)]
    [InlineData(90)]
    public async Task KilledDuringJob_RestartedOnSameDataDir_WaiterGetsExactResultMergedChunksNotRunAgain(int percent)
    {
        const int Chunks = 200;
        Directory.CreateDirectory(CountDir);
        // Chunk 0's first execution hangs (and no backup attempt is made), so the job cannot finish before the kill however
        // fast the rest runs: the kill always lands mid-job. Its second execution, after the restart, succeeds.
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, threads: 2, coordinatorArgs: ["--data-dir", DataDir, "--Coordinator:BackupAttempts=false"]);
        var job = await cluster.Client.SubmitAsync(Chaos(
            chunks: Chunks,
            ms: 20,
            ("count-dir", CountDir),
            ("fail-chunk", 0L),
            ("mode", "hang"),
            ("fail-attempts", 1L),
            ("state-dir", _scratch.PathOf("hang-state"))));
        var waiting = cluster.Client.WaitForCompletionAsync(job.JobId);
        var seen = await TestCluster.PollAsync(() => cluster.Client.GetJobAsync(job.JobId), j => j.ChunksDone >= Chunks * percent / 100, Deadline, $"{percent}% of the job");

        await cluster.RestartCoordinatorAsync().WaitAsync(Deadline);
        var done = await waiting.WaitAsync(Deadline);

        Assert.Equal(JobState.Succeeded, done.State);
        Assert.Equal(ChaosKind.ExpectedSum(Chunks), Json(done).GetProperty("sum").GetInt64());
        var kept = Assert.Single(RestartCounts.Kept(done));
        var runs = RestartCounts.Executions(CountDir);
        var runTwice = runs.Count(r => r.Value > 1);
        Assert.Equal(Chunks, runs.Count);
        Assert.True(kept >= seen.ChunksDone / 2, $"the journal kept {kept} chunks; {seen.ChunksDone} were merged when the kill was decided");
        Assert.True(runTwice <= Chunks - kept, $"{runTwice} chunks ran more than once, but only {Chunks - kept} were not kept");
        output.WriteLine($"figure restart-at-{percent}%: {seen.ChunksDone} merged when the kill was decided, {kept} kept by the journal, {runTwice} chunks ran twice (in flight or finished during the restart), {runs.Values.Sum() - Chunks} executions redone");
    }

    [Fact]
    public async Task KilledAfterJobsFinished_RestartedOnSameDataDir_JobsListedAndResultFetchable()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 1, coordinatorArgs: ["--data-dir", DataDir]);
        var first = await cluster.RunAsync(Chaos(chunks: 10, ms: 0));
        var second = await cluster.RunAsync(Chaos(chunks: 7, ms: 0));

        await cluster.RestartCoordinatorAsync().WaitAsync(Deadline);

        var listed = await cluster.Client.ListJobsAsync();
        Assert.Equal([second.JobId, first.JobId], listed.Select(j => j.JobId).Take(2));
        var again = await cluster.Client.GetJobAsync(first.JobId);
        Assert.Equal(JobState.Succeeded, again.State);
        Assert.Equal(first.ResultJson, again.ResultJson);
        using var data = new MemoryStream();
        var download = await cluster.Client.DownloadResultAsync(second.JobId, data).WaitAsync(Deadline);
        Assert.Equal($"{{\"sum\":{ChaosKind.ExpectedSum(7)},\"chunks\":7}}", Encoding.UTF8.GetString(data.ToArray()));
        Assert.Equal("application/json", download.ContentType);
    }

    public void Dispose() => _scratch.Dispose();
}
