using System.Globalization;
using Cluster.Bench.Measurement;

namespace Cluster.Bench.Workloads;

/// <summary>
/// Dispatch rate: noop jobs of 100,000 and 1,000,000 chunks on 2 workers of 1 thread each, in chunks per second
/// from submission to merged result, next to the same jobs in process on 2 threads. The 1,000,000-chunk job also
/// gives the coordinator's peak memory; as the <c>memory</c> workload, only that job runs.
/// </summary>
internal sealed class DispatchWorkload(bool measureRates) : IWorkload
{
    public const long MemoryJobChunks = 1_000_000;
    private const int Workers = 2;
    private const int Threads = 1;

    private static readonly FigureSpec CoordinatorPeak = new(
        "memory.coordinator_peak", "memory", "Coordinator peak RSS, 1,000,000-chunk noop job", "MB", Goal.Below(300));

    public string Name => measureRates ? "dispatch" : "memory";

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        long[] sizes = measureRates ? [100_000, MemoryJobChunks] : [MemoryJobChunks];
        if (measureRates)
        {
            NoopJobs.RunInProcess(10_000, Workers * Threads);
        }

        await using var cluster = await context.StartClusterAsync(Workers, Threads, cancellationToken);
        await cluster.RunAsync(NoopJobs.Spec(10_000), null, cancellationToken);
        foreach (var run in context.Runs)
        {
            foreach (var chunks in sizes)
            {
                cluster.ResetPeaks();
                var (job, elapsed, _) = await cluster.RunAsync(NoopJobs.Spec(chunks), null, cancellationToken);
                if (job.ChunksDone != chunks)
                {
                    throw new InvalidOperationException($"Job {job.JobId} merged {job.ChunksDone} chunks, not {chunks}.");
                }

                var peak = cluster.CoordinatorPeakMB();
                var note = $"run {run}: {chunks:N0} noop chunks on the cluster in {elapsed.TotalSeconds:0.00} s ({chunks / elapsed.TotalSeconds:N0}/s), coordinator peak {peak:0} MB";
                if (measureRates)
                {
                    context.Results.Add(Rate("cluster", chunks, $"Dispatch rate, {cluster.Description}", Goal.AtLeast(50_000)), chunks / elapsed.TotalSeconds);
                    var inProcess = NoopJobs.RunInProcess(chunks, Workers * Threads);
                    context.Results.Add(Rate("inprocess", chunks, $"Dispatch rate, in process on {Workers * Threads} threads", null), chunks / inProcess.TotalSeconds);
                    note += $"; in process {chunks / inProcess.TotalSeconds:N0}/s";
                }

                if (chunks == MemoryJobChunks)
                {
                    context.Results.Add(CoordinatorPeak, peak);
                }

                context.Note(note);
            }
        }
    }

    private static FigureSpec Rate(string where, long chunks, string title, Goal? goal) => new(
        string.Create(CultureInfo.InvariantCulture, $"dispatch.{where}.{chunks}"),
        "dispatch",
        string.Create(CultureInfo.InvariantCulture, $"{title}, {chunks:N0} chunks"),
        "chunks/s",
        goal);
}
