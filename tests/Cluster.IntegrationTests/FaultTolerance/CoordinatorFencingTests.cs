using System.Globalization;
using System.Text.Json.Nodes;
using Cluster.Client;
using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.TestKinds;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.BuiltInKindTests;
using static Cluster.IntegrationTests.EndToEnd.SchedulingTests;

namespace Cluster.IntegrationTests.FaultTolerance;

/// <summary>
/// A coordinator with a data directory killed while workers run chunks, while a client waits, several times in one job,
/// and during an upload: work finished across the restart is merged, not run again; waiters get the exact result.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class CoordinatorFencingTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly RestartScratch _scratch = new("cluster-fencing-test-");

    private string DataDir => _scratch.DataDir;

    private string CountDir => _scratch.CountDir;

    [Fact]
    public async Task KilledWhileWorkersRunChunks_ResultsResentOnRejoin_MergedNotRunAgain()
    {
        // 2 workers x 2 threads and chunks of 2 s: when the first 4 are merged, the next 4 run on the workers, which
        // finish them while the coordinator is down or restarting and send them on rejoin.
        const int Chunks = 12;
        Directory.CreateDirectory(CountDir);
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, threads: 2, coordinatorArgs: ["--data-dir", DataDir]);
        var job = await cluster.Client.SubmitAsync(Chaos(chunks: Chunks, ms: 2000, ("count-dir", CountDir)));
        var waiting = cluster.Client.WaitForCompletionAsync(job.JobId);
        await TestCluster.PollAsync(() => cluster.Client.GetJobAsync(job.JobId), j => j.ChunksDone >= 4, Deadline, "the first 4 chunks");

        await cluster.RestartCoordinatorAsync().WaitAsync(Deadline);
        var done = await waiting.WaitAsync(Deadline);

        Assert.Equal(JobState.Succeeded, done.State);
        Assert.Equal(ChaosKind.ExpectedSum(Chunks), Json(done).GetProperty("sum").GetInt64());
        var resent = Resent(done);
        var runs = RestartCounts.Executions(CountDir);
        Assert.Equal(Chunks, runs.Count);
        Assert.All(runs, r => Assert.True(r.Value == 1, $"chunk {r.Key} ran {r.Value} times"));
        Assert.True(resent >= 1, "no result was resent after the restart: " + string.Join(" | ", done.Events));
        output.WriteLine($"figure resent-on-rejoin: {resent} results finished across the restart were resent and merged; every one of {Chunks} chunks ran once");
    }

    [Fact]
    public async Task KilledFiveTimesDuringOneJob_WaiterGetsExactResult()
    {
        const int Chunks = 300;
        Directory.CreateDirectory(CountDir);
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, threads: 2, coordinatorArgs: ["--data-dir", DataDir]);
        var job = await cluster.Client.SubmitAsync(Chaos(chunks: Chunks, ms: 20, ("count-dir", CountDir)));
        var waiting = cluster.Client.WaitForCompletionAsync(job.JobId);
        var mergedAtKill = new List<long>();
        for (var kill = 1; kill <= 5; kill++)
        {
            var threshold = Chunks * 15L * kill / 100;
            var seen = await TestCluster.PollAsync(() => cluster.Client.GetJobAsync(job.JobId), j => j.ChunksDone >= threshold, Deadline, $"{threshold} chunks before kill {kill}");
            mergedAtKill.Add(seen.ChunksDone);
            await cluster.RestartCoordinatorAsync().WaitAsync(Deadline);
        }

        var done = await waiting.WaitAsync(Deadline);

        Assert.Equal(JobState.Succeeded, done.State);
        Assert.Equal(ChaosKind.ExpectedSum(Chunks), Json(done).GetProperty("sum").GetInt64());
        var runs = RestartCounts.Executions(CountDir);
        Assert.Equal(Chunks, runs.Count);
        var redone = runs.Values.Sum() - Chunks;
        output.WriteLine($"figure five-kills: merged at each kill {string.Join(", ", mergedAtKill)}; {redone} executions redone in all ({redone / 5.0:0.#} per kill), {Resent(done)} results resent and merged");
    }

    [Fact]
    public async Task CliSubmitWaitingThroughRestart_PrintsTheResultNeverLost()
    {
        const int Chunks = 120;
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, threads: 1, coordinatorArgs: ["--data-dir", DataDir]);
        var tokenFile = _scratch.PathOf("client.token");
        await File.WriteAllTextAsync(tokenFile, cluster.Cluster.ClientToken);
        using var cli = CliProcess.Start(
            "submit", "chaos", "--coordinator", cluster.Cluster.Address.ToString().TrimEnd('/'), "--token-file", tokenFile,
            "--chunks", Chunks.ToString(CultureInfo.InvariantCulture), "--param", "ms=40", "--json");
        await TestCluster.PollAsync(() => cluster.Client.ListJobsAsync(), jobs => jobs.Any(j => j.ChunksDone >= Chunks / 4), Deadline, "a quarter of the CLI's job");

        await cluster.RestartCoordinatorAsync().WaitAsync(Deadline);
        var code = await cli.WaitForExitAsync(Deadline);

        Assert.True(code == 0, $"cluster submit exited with {code}: {cli.Stderr}");
        var printed = JsonNode.Parse(cli.Stdout)!;
        Assert.Equal("succeeded", printed["state"]!.GetValue<string>());
        Assert.Equal(ChaosKind.ExpectedSum(Chunks), printed["result"]!["sum"]!.GetValue<long>());
        // The sentence of a job the coordinator no longer knows ("Job … was lost: …"); the JSON's lostAttempts field is not it.
        Assert.DoesNotContain("was lost", cli.Stdout + cli.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("no longer knows", cli.Stdout + cli.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task KilledDuringUpload_ClientToldToSubmitAgain_NoJobAndNoInputLeft()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 1, coordinatorArgs: ["--data-dir", DataDir]);
        var input = new GatedStream(length: 64L << 20, gateAfter: 8L << 20);
        var submit = cluster.Client.SubmitAsync(Spec("sha256"), input);
        await input.GateReached.WaitAsync(Deadline);
        // The spool folder also holds the local-read probe (written when the worker joins), hence "*.input".
        var inputs = Path.Combine(DataDir, "inputs");
        await TestCluster.PollAsync(() => Task.FromResult(Directory.GetFiles(inputs, "*.input")), files => files.Any(f => new FileInfo(f).Length > 0), Deadline, "the input spooled in the data directory");

        await cluster.RestartCoordinatorAsync().WaitAsync(Deadline);
        input.Open();

        var refused = await Assert.ThrowsAsync<ClusterException>(() => submit.WaitAsync(Deadline));
        Assert.Contains("before the job was accepted", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("submit it again.", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await cluster.Client.ListJobsAsync());
        Assert.Empty(Directory.GetFiles(inputs, "*.input"));
        // The killed coordinator's probe went with the sweep at the restart; the new one's is there once the worker rejoined.
        Assert.True(Directory.GetFiles(inputs).All(f => f.EndsWith(".probe", StringComparison.Ordinal)), string.Join(", ", Directory.GetFiles(inputs)));
        Assert.True(Directory.GetFiles(inputs, "*.probe").Length <= 1, string.Join(", ", Directory.GetFiles(inputs)));
        output.WriteLine($"figure upload-cut: {refused.Message}");
    }

    [Fact]
    public async Task ByReferenceJobAcceptedBeforeKill_ResumedAfterRestart_EveryBlockDigestExact()
    {
        // No worker until after the restart: the job is journalled with its input_url, and must plan from it again.
        var path = _scratch.PathOf("input.bin");
        var data = System.Security.Cryptography.RandomNumberGenerator.GetBytes((3 << 20) + 777);
        await File.WriteAllBytesAsync(path, data);
        await using var cluster = await TestCluster.StartAsync(output, workers: 0, coordinatorArgs: ["--data-dir", DataDir]);
        var spec = Spec("sha256", ("block-size", 1L << 20));
        spec.InputUrl = new Uri(path).AbsoluteUri;
        var job = await cluster.Client.SubmitAsync(spec);

        await cluster.RestartCoordinatorAsync().WaitAsync(Deadline);
        await cluster.Cluster.StartWorkerAsync().WaitAsync(Deadline);
        var done = await cluster.Client.WaitForCompletionAsync(job.JobId).WaitAsync(Deadline);

        var blocks = Json(done).GetProperty("blocks").EnumerateArray().Select(b => b.GetString()).ToList();
        Assert.Equal(4, blocks.Count);
        for (var i = 0; i < blocks.Count; i++)
        {
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data.AsSpan(i << 20, Math.Min(1 << 20, data.Length - (i << 20))))), blocks[i]);
        }
    }

    public void Dispose() => _scratch.Dispose();

    /// <summary>Results merged after being resent on rejoin, as the job's events count them.</summary>
    private static long Resent(JobInfo job) => job.Events
        .Where(e => e.Contains(" results of attempts assigned before the coordinator restarted were resent", StringComparison.Ordinal))
        .Sum(e => long.Parse(e.Split(' ')[0], CultureInfo.InvariantCulture));

    /// <summary>Zero bytes of <c>length</c>, which stop after <c>gateAfter</c> until <see cref="Open"/>: an upload held mid-way.</summary>
    private sealed class GatedStream(long length, long gateAfter) : Stream
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _position;

        public Task GateReached => _reached.Task;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public void Open() => _open.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= gateAfter)
            {
                _reached.TrySetResult();
                await _open.Task.WaitAsync(cancellationToken);
            }

            var count = (int)Math.Min(buffer.Length, length - _position);
            buffer.Span[..count].Clear();
            _position += count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
