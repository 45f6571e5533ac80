using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Journal;
using static Cluster.Tests.Coordinator.Journal.JournalTesting;

namespace Cluster.Tests.Coordinator.Journal;

public sealed class JournalFaultsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CommitFails_DatabaseFull_JobFailsWithSentenceAndNextJobJournalledOnceSpaceReturns()
    {
        using var dir = new TempDataDir();
        var host = new CoordinatorTestHost(new CoordinatorOptions { DataDir = dir.Path });
        var worker = host.AddWorker("a", 64);
        var db = host.Database.Database!;

        // SQLite's own page limit makes the database full, as a full disk would: SQLITE_FULL on the next growing commit.
        SetMaxPages(db, "SELECT page_count FROM pragma_page_count()");
        var full = await host.SubmitSquaresAsync(20_000);
        for (var round = 0; round < 2_000 && !full.IsFinal; round++)
        {
            host.Answer(worker, [.. host.Take(worker).Select(CoordinatorTestHost.Success)]);
            await host.Journal.FlushAsync(CancellationToken.None).WaitAsync(Bound);
        }

        Assert.Equal(JobState.Failed, full.State);
        Assert.StartsWith($"The coordinator could not write the job to its journal in {dir.Path} (", full.Error, StringComparison.Ordinal);
        Assert.Contains("full", full.Error, StringComparison.Ordinal);
        Assert.EndsWith("): free space there, then resubmit the job.", full.Error, StringComparison.Ordinal);
        Assert.True(full.ChunksDone < full.ChunkCount, "the job failed before its last chunk was merged");

        SetMaxPages(db, "SELECT 1073741823");
        var next = await host.SubmitSquaresAsync(2_000);
        for (var round = 0; round < 200 && !next.IsFinal; round++)
        {
            host.Answer(worker, [.. host.Take(worker).Select(CoordinatorTestHost.Success)]);
        }

        Assert.Equal(JobState.Succeeded, next.State);
        Assert.Equal($"{{\"sum\":{SquaresKind.Expected(2_000)}}}", await File.ReadAllTextAsync(next.ResultFile!));
        await CloseAsync(host);
        using var read = OpenRead(dir.Path);
        Assert.Equal((long)JobState.Succeeded, Scalar(read, "SELECT state FROM jobs WHERE id = $id", next.Id));
    }

    private static void SetMaxPages(JournalDatabase db, string pagesQuery)
    {
        lock (db.Gate)
        {
            using var command = db.Connection.CreateCommand();
            command.CommandText = pagesQuery;
            var pages = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            command.CommandText = $"PRAGMA max_page_count = {pages};";
            command.ExecuteNonQuery();
        }
    }
}
