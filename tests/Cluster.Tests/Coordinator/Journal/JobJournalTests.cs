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
        var rows = Rows(db, "SELECT chunk, output FROM chunk_outputs ORDER BY rowid");
        Assert.Equal(answered, rows.Select(r => (long)r[0]));
        Assert.All(rows, r => Assert.Equal(BitConverter.GetBytes((long)r[0] * (long)r[0]), (byte[])r[1]));
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
        await CloseAsync(host);

        using var db = OpenRead(dir.Path);
        var expected = $"{{\"sum\":{SquaresKind.Expected(20)}}}";
        Assert.Equal((long)JobState.Succeeded, Scalar(db, "SELECT state FROM jobs WHERE id = $id", job.Id));
        Assert.Equal(expected, Scalar(db, "SELECT summary FROM jobs WHERE id = $id", job.Id));
        Assert.Equal(0L, Scalar(db, "SELECT count(*) FROM chunk_outputs"));
        Assert.Equal(expected, File.ReadAllText(new DataDirectory(dir.Path).ResultFile(job.Id)));
        Assert.Equal("succeeded", Rows(db, "SELECT text FROM job_events ORDER BY n DESC LIMIT 1")[0][0]);
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
