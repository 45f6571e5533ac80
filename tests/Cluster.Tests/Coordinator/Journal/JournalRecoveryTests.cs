using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Journal;
using Cluster.Coordinator.Scheduling;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using static Cluster.Tests.Coordinator.Journal.JournalTesting;

namespace Cluster.Tests.Coordinator.Journal;

public sealed class JournalRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Recover_RunningJobHalfMerged_MergedChunksNeverRunAgainAndResultExact()
    {
        using var dir = new TempDataDir();
        var before = new CoordinatorTestHost(new CoordinatorOptions { DataDir = dir.Path });
        var worker = before.AddWorker("a", 4);
        var job = await before.SubmitSquaresAsync(40);
        var merged = new HashSet<long>();
        var inFlight = new List<Assignment>();
        while (merged.Count < 20)
        {
            var taken = before.Take(worker);
            var answered = taken.Where((_, i) => i % 2 == 0).Take(20 - merged.Count).ToList();
            before.Answer(worker, [.. answered.Select(CoordinatorTestHost.Success)]);
            merged.UnionWith(answered.Select(a => a.Chunk));
            inFlight.AddRange(taken.Except(answered));
        }

        await CloseAsync(before);

        var after = new CoordinatorTestHost(new CoordinatorOptions { DataDir = dir.Path });
        Assert.Equal((0, 1), after.Recovery.Recover());
        Assert.True(after.Store.TryGet(job.Id, out var resumed));
        Assert.Equal(JobState.Running, resumed.State);
        Assert.Equal(20, resumed.ChunksDone);
        var rerun = new List<long>();
        var again = after.AddWorker("b", 4);
        for (var round = 0; round < 200 && !resumed.IsFinal; round++)
        {
            var taken = after.Take(again);
            rerun.AddRange(taken.Select(a => a.Chunk));
            after.Answer(again, [.. taken.Select(CoordinatorTestHost.Success)]);
        }

        Assert.Equal(JobState.Succeeded, resumed.State);
        Assert.Equal($"{{\"sum\":{SquaresKind.Expected(40)}}}", resumed.Output!.SummaryJson);
        Assert.Empty(rerun.Intersect(merged));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i).Except(merged).Order(), rerun.Order());
        Assert.Contains(resumed.RecentEvents, e => e.Text.StartsWith("coordinator restarted: 20 of 40 chunks kept", StringComparison.Ordinal));
        await CloseAsync(after);
    }

    [Fact]
    public async Task Recover_FinishedJob_ListedWithSameIdAndResultFromItsFile()
    {
        using var dir = new TempDataDir();
        var before = new CoordinatorTestHost(new CoordinatorOptions { DataDir = dir.Path });
        var worker = before.AddWorker("a", 2);
        var job = await before.SubmitSquaresAsync(12);
        for (var round = 0; round < 50 && !job.IsFinal; round++)
        {
            before.Answer(worker, [.. before.Take(worker).Select(CoordinatorTestHost.Success)]);
        }

        await CloseAsync(before);

        var after = new CoordinatorTestHost(new CoordinatorOptions { DataDir = dir.Path });
        Assert.Equal((1, 0), after.Recovery.Recover());

        Assert.True(after.Store.TryGet(job.Id, out var restored));
        var expected = $"{{\"sum\":{SquaresKind.Expected(12)}}}";
        Assert.Equal(JobState.Succeeded, restored.State);
        Assert.True(restored.Completion.IsCompleted);
        Assert.Equal(expected, restored.Output!.SummaryJson);
        Assert.Equal(expected, File.ReadAllText(restored.ResultFile!));
        Assert.Equal(expected.Length, restored.ResultBytes);
        Assert.Equal(12, restored.ChunkCount);
        Assert.Equal(job.SubmittedAt.ToUnixTimeMilliseconds(), restored.SubmittedAt.ToUnixTimeMilliseconds());
        Assert.Equal("succeeded", restored.RecentEvents[^1].Text);
        await CloseAsync(after);
    }

    [Fact]
    public async Task Recover_EveryChunkMergedBeforeTheStop_FinishesAtOnce()
    {
        using var dir = new TempDataDir();
        var before = new CoordinatorTestHost(new CoordinatorOptions { DataDir = dir.Path });
        var worker = before.AddWorker("a", 8);
        var job = await before.SubmitSquaresAsync(6);
        var taken = before.Take(worker);
        Assert.Equal(6, taken.Count);

        // The last chunk's merge is journalled, but the coordinator stops before the job's end is.
        foreach (var a in taken)
        {
            before.Journal.Merged(job, a.Chunk, BitConverter.GetBytes(a.Chunk * a.Chunk));
        }

        await CloseAsync(before);

        var after = new CoordinatorTestHost(new CoordinatorOptions { DataDir = dir.Path });
        after.Recovery.Recover();

        Assert.True(after.Store.TryGet(job.Id, out var resumed));
        Assert.Equal(JobState.Succeeded, resumed.State);
        Assert.Equal($"{{\"sum\":{SquaresKind.Expected(6)}}}", resumed.Output!.SummaryJson);
        await CloseAsync(after);
    }

    [Fact]
    public async Task Recover_InputOfNoJournalledJob_Removed()
    {
        using var dir = new TempDataDir();
        var data = new DataDirectory(dir.Path);
        var orphan = data.InputFile("0123456789abcdef0123456789abcdef");
        await File.WriteAllTextAsync(orphan, "an upload the crash cut");

        var host = new CoordinatorTestHost(new CoordinatorOptions { DataDir = dir.Path });
        host.Recovery.Recover();

        Assert.False(File.Exists(orphan));
        await CloseAsync(host);
    }

    [Fact]
    public async Task Recover_TenThousandFinishedJobsAndHalfOfAMillionChunkJob_AllBackHalfKept()
    {
        const long Chunks = 1_000_000;
        using var dir = new TempDataDir();
        var options = new CoordinatorOptions { DataDir = dir.Path, RetainedJobs = 20_000, RetentionAge = TimeSpan.FromDays(36500), MaxChunksPerJob = Chunks };
        var before = new CoordinatorTestHost(options);
        var big = await before.SubmitSquaresAsync(Chunks);
        for (long chunk = 0; chunk < Chunks; chunk += 2)
        {
            before.Journal.Merged(big, chunk, BitConverter.GetBytes(chunk * chunk));
        }

        await CloseAsync(before);
        using (var db = new SqliteConnection($"Data Source={new DataDirectory(dir.Path).JournalPath};Pooling=False"))
        {
            db.Open();
            using var transaction = db.BeginTransaction();
            using var insert = db.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO jobs (id, spec, chunk_count, input_bytes, submitted_at, state, started_at, finished_at, summary, content_type, result_bytes) VALUES ($id, $spec, 100, 0, 0, 2, 0, 1, '{\"sum\":1}', 'application/json', 9);";
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            insert.Parameters.AddWithValue("$spec", Scalar(db, "SELECT spec FROM jobs"));
            for (var i = 0; i < 10_000; i++)
            {
                id.Value = $"finished{i:D5}";
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var after = new CoordinatorTestHost(options);
        var opened = clock.Elapsed;
        var restored = after.Recovery.Recover();
        var elapsed = clock.Elapsed;

        Assert.Equal((10_000, 1), restored);
        Assert.Equal(10_001, after.Store.List(int.MaxValue).Count);
        Assert.True(after.Store.TryGet(big.Id, out var resumed));
        Assert.Equal(Chunks / 2, resumed.ChunksDone);
        var worker = after.AddWorker("a", 2);
        var taken = after.Take(worker);
        Assert.NotEmpty(taken);
        Assert.All(taken, a => Assert.Equal(1, a.Chunk % 2));
        output.WriteLine($"figure journal-recovery: 10,000 finished jobs and a 1,000,000-chunk job with 500,000 merged chunks restored in {elapsed.TotalMilliseconds:0} ms, of which {opened.TotalMilliseconds:0} ms to open and check the journal");
        await CloseAsync(after);
    }
}
