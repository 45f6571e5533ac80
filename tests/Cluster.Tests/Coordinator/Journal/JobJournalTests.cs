using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Journal;
using static Cluster.Tests.Coordinator.Journal.JournalTesting;

namespace Cluster.Tests.Coordinator.Journal;

public sealed class JobJournalTests
{
    [Fact]
    public async Task Merged_HalfTheChunks_JournalHoldsTheirOutputsAndSpec()
    {
        using var dir = new TempDataDir();
        var host = new CoordinatorTestHost(new CoordinatorOptions { DataDir = dir.Path });
        var worker = host.AddWorker("a", 1);
        var job = await host.SubmitSquaresAsync(10);
        var answered = new List<long>();
        while (answered.Count < 5)
        {
            var taken = host.Take(worker).Take(5 - answered.Count).ToList();
            host.Answer(worker, [.. taken.Select(CoordinatorTestHost.Success)]);
            answered.AddRange(taken.Select(a => a.Chunk));
        }

        await CloseAsync(host);

        using var db = OpenRead(dir.Path);
        var spec = JournalSpec.FromJson((string)Scalar(db, "SELECT spec FROM jobs WHERE id = $id", job.Id)!);
        Assert.Equal("squares", spec.Kind);
        Assert.Equal(10L, spec.Parameters["n"]);
        Assert.Equal((long)JobState.Running, Scalar(db, "SELECT state FROM jobs WHERE id = $id", job.Id));
        var outputs = ChunkOutputs(db);
        Assert.Equal(answered, outputs.Select(o => o.Chunk));
        Assert.All(outputs, o => Assert.Equal(BitConverter.GetBytes(o.Chunk * o.Chunk), o.Output));
        Assert.True((long)Scalar(db, "SELECT count(*) FROM chunk_outputs")! < answered.Count, "outputs merged in one commit share a row");
    }

    [Fact]
    public async Task Finished_Succeeded_ResultFileWrittenChunkRowsCompacted()
    {
        using var dir = new TempDataDir();
        var host = new CoordinatorTestHost(new CoordinatorOptions { DataDir = dir.Path });
        var worker = host.AddWorker("a", 2);
        var job = await host.SubmitSquaresAsync(20);
        for (var round = 0; round < 100 && !job.IsFinal; round++)
        {
            host.Answer(worker, [.. host.Take(worker).Select(CoordinatorTestHost.Success)]);
        }

        Assert.Equal(JobState.Succeeded, job.State);
        var expected = $"{{\"sum\":{SquaresKind.Expected(20)}}}";
        Assert.True(job.Output!.Data.IsEmpty, "the result's data is in its file, not in memory");
        Assert.Equal(new DataDirectory(dir.Path).ResultFile(job.Id), job.ResultFile);
        Assert.Equal(expected.Length, job.ResultBytes);
        Assert.Equal(expected, job.Output.SummaryJson);
        await CloseAsync(host);

        using var db = OpenRead(dir.Path);
        Assert.Equal((long)JobState.Succeeded, Scalar(db, "SELECT state FROM jobs WHERE id = $id", job.Id));
        Assert.Equal(expected, Scalar(db, "SELECT summary FROM jobs WHERE id = $id", job.Id));
        Assert.Equal(0L, Scalar(db, "SELECT count(*) FROM chunk_outputs"));
        Assert.Equal(expected, File.ReadAllText(new DataDirectory(dir.Path).ResultFile(job.Id)));
        Assert.Equal("succeeded", Rows(db, "SELECT text FROM job_events ORDER BY n DESC LIMIT 1")[0][0]);
    }

    [Fact]
    public async Task Finished_ResultCannotBeWritten_JobFailsWithASentenceNamingTheDirectory()
    {
        using var dir = new TempDataDir();
        var host = new CoordinatorTestHost(new CoordinatorOptions { DataDir = dir.Path });
        var worker = host.AddWorker("a", 2);
        var job = await host.SubmitSquaresAsync(4);
        var results = new DataDirectory(dir.Path).ResultsPath;

        // A file where the results folder should be: every write under it fails, as on a full or broken disk.
        Directory.Delete(results);
        await File.WriteAllTextAsync(results, "not a folder");
        for (var round = 0; round < 20 && !job.IsFinal; round++)
        {
            host.Answer(worker, [.. host.Take(worker).Select(CoordinatorTestHost.Success)]);
        }

        Assert.Equal(JobState.Failed, job.State);
        Assert.StartsWith($"Its result ({$"{{\"sum\":{SquaresKind.Expected(4)}}}".Length} bytes) could not be written to {results} (", job.Error, StringComparison.Ordinal);
        Assert.EndsWith("): free space in the data directory, then resubmit the job.", job.Error, StringComparison.Ordinal);
        Assert.Null(job.ResultFile);
        await CloseAsync(host);
        File.Delete(results);
        using var db = OpenRead(dir.Path);
        Assert.Equal((long)JobState.Failed, Scalar(db, "SELECT state FROM jobs WHERE id = $id", job.Id));
    }

    [Fact]
    public async Task Finished_LargeJobCompacted_FreedPagesReturnedAndFileShrinks()
    {
        const long Chunks = 200_000;
        using var dir = new TempDataDir();
        var host = new CoordinatorTestHost(new CoordinatorOptions { DataDir = dir.Path, MaxChunksPerJob = Chunks });
        var job = await host.SubmitSquaresAsync(Chunks);
        for (long chunk = 0; chunk < Chunks; chunk++)
        {
            host.Journal.Merged(job, chunk, BitConverter.GetBytes(chunk * chunk));
        }

        await host.Journal.FlushAsync(CancellationToken.None);
        var pagesBefore = PageCount(host);
        host.Finisher.Cancel(job, "test");
        await CloseAsync(host);

        using var db = OpenRead(dir.Path);
        var pagesAfter = (long)Scalar(db, "PRAGMA page_count")!;
        Assert.Equal(0L, Scalar(db, "PRAGMA freelist_count"));
        Assert.Equal(2L, Scalar(db, "PRAGMA auto_vacuum"));
        Assert.True(pagesAfter * 10 < pagesBefore, $"{pagesAfter} pages after compaction, {pagesBefore} before");
    }

    private static long PageCount(CoordinatorTestHost host)
    {
        var database = host.Database.Database!;
        lock (database.Gate)
        {
            using var command = database.Connection.CreateCommand();
            command.CommandText = "PRAGMA page_count;";
            return (long)command.ExecuteScalar()!;
        }
    }

    [Fact]
    public async Task Forgotten_PastRetention_RowAndResultFileRemoved()
    {
        using var dir = new TempDataDir();
        var host = new CoordinatorTestHost(new CoordinatorOptions { DataDir = dir.Path, RetainedJobs = 1 });
        var worker = host.AddWorker("a", 2);
        var jobs = new List<Job>();
        for (var i = 0; i < 3; i++)
        {
            var job = await host.SubmitSquaresAsync(3);
            for (var round = 0; round < 20 && !job.IsFinal; round++)
            {
                host.Answer(worker, [.. host.Take(worker).Select(CoordinatorTestHost.Success)]);
            }

            Assert.Equal(JobState.Succeeded, job.State);
            jobs.Add(job);
        }

        await CloseAsync(host);

        using var db = OpenRead(dir.Path);
        Assert.Equal(jobs[^1].Id, Scalar(db, "SELECT group_concat(id) FROM jobs"));
        var data = new DataDirectory(dir.Path);
        Assert.Equal([data.ResultFile(jobs[^1].Id)], Directory.GetFiles(data.ResultsPath));
    }
}
