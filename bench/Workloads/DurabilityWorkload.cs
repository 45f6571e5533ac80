using System.Globalization;
using Cluster.Bench.Measurement;

namespace Cluster.Bench.Workloads;

/// <summary>
/// The journal's cost: noop jobs of 100,000 and 1,000,000 chunks on 2 workers of 1 thread each, on a coordinator
/// without a data directory and on one with <c>--data-dir</c> (every merged chunk's output journalled in group
/// commits), one after the other in each run so both see the same machine; with the journal's coordinator peak memory
/// and the journal's size after the jobs (compacted: a finished job keeps one row). Then the restart time and the
/// work redone after a SIGKILL (<see cref="DurabilityRestart"/>). With <c>--quick</c> the dispatch part runs only the
/// 100,000-chunk job.
/// </summary>
internal sealed class DurabilityWorkload : IWorkload
{
    private const int Workers = 2;
    private const int Threads = 1;

    public string Name => "durability";

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "cluster-bench-journal-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var open = await context.StartClusterAsync(Workers, Threads, cancellationToken);
            await using var journalled = await context.StartClusterAsync(Workers, Threads, cancellationToken, ["--data-dir", dataDir]);
            foreach (var cluster in new[] { open, journalled })
            {
                await cluster.RunAsync(NoopJobs.Spec(10_000), null, cancellationToken);
            }

            foreach (var run in context.Runs)
            {
                foreach (var chunks in context.Settings.Quick ? new long[] { 100_000 } : [100_000, DispatchWorkload.MemoryJobChunks])
                {
                    var rates = new List<string>();
                    foreach (var (cluster, where) in new[] { (open, "without"), (journalled, "journal") })
                    {
                        cluster.ResetPeaks();
                        var (job, elapsed, _) = await cluster.RunAsync(NoopJobs.Spec(chunks), null, cancellationToken);
                        if (job.ChunksDone != chunks)
                        {
                            throw new InvalidOperationException($"Job {job.JobId} merged {job.ChunksDone} chunks, not {chunks}.");
                        }

                        var rate = chunks / elapsed.TotalSeconds;
                        context.Results.Add(Rate(where, chunks), rate);
                        rates.Add($"{where} {rate:N0}/s (coordinator peak {cluster.CoordinatorPeakMB():0} MB)");
                        if (where == "journal" && chunks == DispatchWorkload.MemoryJobChunks)
                        {
                            context.Results.Add(JournalPeak, cluster.CoordinatorPeakMB());
                        }
                    }

                    var journalBytes = new DirectoryInfo(dataDir).EnumerateFiles("journal.db*").Sum(f => f.Length);
                    context.Note($"run {run}: {chunks:N0} noop chunks: {string.Join(", ", rates)}; journal files {journalBytes / 1024.0:N0} KiB after the job");
                }
            }
        }
        finally
        {
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }

        await DurabilityRestart.RunAsync(context, cancellationToken);
    }

    private static readonly FigureSpec JournalPeak = new(
        "durability.journal.coordinator_peak", "durability", "Coordinator peak RSS with the journal, 1,000,000-chunk noop job", "MB", Goal.Below(300));

    private static FigureSpec Rate(string where, long chunks) => new(
        string.Create(CultureInfo.InvariantCulture, $"durability.{where}.{chunks}"),
        "durability",
        string.Create(CultureInfo.InvariantCulture, $"Dispatch rate {(where == "journal" ? "with the journal (--data-dir)" : "without a journal")}, {chunks:N0} chunks"),
        "chunks/s",
        where == "journal" ? Goal.AtLeast(50_000) : null);
}
