using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.TestKinds;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.BuiltInKindTests;
using static Cluster.IntegrationTests.EndToEnd.SchedulingTests;

namespace Cluster.IntegrationTests.FaultTolerance;

/// <summary>
/// A coordinator with a data directory SIGKILLed at the two moments it writes what a restart relies on: while the
/// journal commits merged chunk outputs (this design's merge checkpoint), and while a finished job's large result is
/// written. No test hook aims the kill: the test watches the files themselves (the WAL growing, the result's
/// <c>.tmp</c>) and kills as soon as it sees the write under way.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class CoordinatorKillPointTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly RestartScratch _scratch = new("cluster-killpoint-test-");

    private string DataDir => _scratch.DataDir;

    private string CountDir => _scratch.CountDir;

    [Fact]
    public async Task KilledWhileWritingLargeResult_Restarted_ResultWholeAndExactNoTemporaryLeft()
    {
        const int Chunks = 8;
        const long ResultMiB = 128;
        await using var cluster = await TestCluster.StartAsync(output, workers: 1, threads: 2, coordinatorArgs: ["--data-dir", DataDir]);
        var results = Path.Combine(DataDir, "results");

        // The result goes to ID.result.tmp, then is renamed: kill the moment the temporary file is created (inotify),
        // since on a quiet machine 128 MiB reach the page cache between two polls of the folder.
        var killed = 0;
        using var watcher = new FileSystemWatcher(results, "*.tmp") { NotifyFilter = NotifyFilters.FileName };
        watcher.Created += (_, _) =>
        {
            if (Interlocked.Exchange(ref killed, 1) == 0)
            {
                cluster.Coordinator.Kill();
            }
        };
        watcher.EnableRaisingEvents = true;
        var job = await cluster.Client.SubmitAsync(Chaos(chunks: Chunks, ms: 0, ("result-mib", ResultMiB)));
        Assert.True(await WaitForAsync(() => Volatile.Read(ref killed) == 1 || File.Exists(Path.Combine(results, job.JobId + ".result"))), "no result was written");
        var writing = Volatile.Read(ref killed) == 1;
        watcher.EnableRaisingEvents = false;
        cluster.Coordinator.Kill();
        await cluster.Coordinator.WaitForExitAsync().WaitAsync(Deadline);
        var leftAtKill = Directory.GetFiles(results).Select(f => $"{Path.GetFileName(f)} ({new FileInfo(f).Length} bytes)").ToList();
        Assert.True(writing, "the job ended before its result's temporary file was seen");

        await cluster.RestartCoordinatorAsync().WaitAsync(Deadline);
        var done = await cluster.Client.WaitForCompletionAsync(job.JobId).WaitAsync(Deadline);

        Assert.Equal(JobState.Succeeded, done.State);
        Assert.Single(RestartCounts.Kept(done));
        var sum = Json(done).GetProperty("sum").GetInt64();
        Assert.Equal(ChaosKind.ExpectedSum(Chunks), sum);
        var downloaded = _scratch.PathOf("downloaded.result");
        await using (var file = File.Create(downloaded))
        {
            await cluster.Client.DownloadResultAsync(job.JobId, file).WaitAsync(Deadline);
        }

        AssertResultBytes(downloaded, sum, ResultMiB << 20);
        Assert.Empty(Directory.GetFiles(results, "*.tmp"));
        output.WriteLine($"figure kill-while-writing-result: in the results folder at the kill: {string.Join(", ", leftAtKill)}; after the restart the job was merged again from its journalled outputs and its {ResultMiB} MiB result written whole and exact");
    }

    [Fact]
    public async Task KilledThreeTimesWhileJournalCommitsMergedOutputs_ResultExactAndOnlyUnkeptChunksRunAgain()
    {
        const int Chunks = 6_000;
        Directory.CreateDirectory(CountDir);
        await using var cluster = await TestCluster.StartAsync(output, workers: 2, threads: 2, coordinatorArgs: ["--data-dir", DataDir]);
        var job = await cluster.Client.SubmitAsync(Chaos(chunks: Chunks, ms: 1, ("count-dir", CountDir)));
        var waiting = cluster.Client.WaitForCompletionAsync(job.JobId);
        var wal = new FileInfo(Path.Combine(DataDir, "journal.db-wal"));
        var seenAtKill = new List<long>();
        for (var kill = 1; kill <= 3; kill++)
        {
            var threshold = Chunks * 20L * kill / 100;
            var seen = await TestCluster.PollAsync(() => cluster.Client.GetJobAsync(job.JobId), j => j.ChunksDone >= threshold, Deadline, $"{threshold} chunks before kill {kill}");

            // A group commit is being written when the WAL moves (its length, or its time once SQLite writes it from the
            // start again after a checkpoint): kill then.
            wal.Refresh();
            var before = wal.Exists ? (wal.Length, wal.LastWriteTimeUtc) : default;
            Assert.True(
                await WaitForAsync(() =>
                {
                    wal.Refresh();
                    return wal.Exists && (wal.Length, wal.LastWriteTimeUtc) != before;
                }),
                "the WAL was never written");
            cluster.Coordinator.Kill();
            seenAtKill.Add(seen.ChunksDone);
            await cluster.RestartCoordinatorAsync().WaitAsync(Deadline);
        }

        var done = await waiting.WaitAsync(Deadline);

        Assert.Equal(JobState.Succeeded, done.State);
        Assert.Equal(ChaosKind.ExpectedSum(Chunks), Json(done).GetProperty("sum").GetInt64());
        var kept = RestartCounts.Kept(done);
        Assert.Equal(3, kept.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(kept[i] >= seenAtKill[i] / 2, $"restart {i + 1}: the journal kept {kept[i]} chunks; {seenAtKill[i]} were merged when the kill was decided");
        }

        var runs = RestartCounts.Executions(CountDir);
        Assert.Equal(Chunks, runs.Count);
        var redone = runs.Values.Sum() - Chunks;
        Assert.True(redone <= 3 * (Chunks - kept.Min()), $"{redone} executions redone");
        output.WriteLine($"figure kill-during-journal-commit: 3 kills while the WAL was written; merged when each kill was decided {string.Join(", ", seenAtKill)}, kept by the journal {string.Join(", ", kept)}; {redone} executions redone in all, {runs.Count(r => r.Value > 1)} chunks ran more than once");
    }

    public void Dispose() => _scratch.Dispose();

    /// <summary>Checks every byte of the downloaded result against <see cref="ChaosKind.ResultByte"/>, computed here.</summary>
    private static void AssertResultBytes(string path, long sum, long length)
    {
        using var file = File.OpenRead(path);
        Assert.Equal(length, file.Length);
        var buffer = new byte[1 << 20];
        long offset = 0;
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != ChaosKind.ResultByte(sum, offset + i))
                {
                    Assert.Fail($"byte {offset + i} of the result is {buffer[i]}, not {ChaosKind.ResultByte(sum, offset + i)}");
                }
            }

            offset += read;
        }
    }

    /// <summary>Checks <paramref name="condition"/> every millisecond or so until it holds (true) or the deadline passes (false).</summary>
    private static async Task<bool> WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(1);
        }

        return true;
    }
}
