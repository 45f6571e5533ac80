using Cluster.Bench.Infrastructure;
using Cluster.Bench.Measurement;
using Cluster.Jobs.BuiltIn.Primes;
using Cluster.Jobs.InProcess;

namespace Cluster.Bench.Workloads;

/// <summary>
/// CPU work: counting primes over a range that takes about 20 s on one thread, on one thread in process, on every core
/// in process (Parallel.For through the in-process runner: the limit), and on the cluster as 2 workers x 1 thread and
/// 1 worker x 2 threads. Ratios compare throughput with the limit.
/// </summary>
internal sealed class CpuWorkload : IWorkload
{
    private static readonly PrimesKind Kind = new();

    public string Name => "cpu";

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var to = context.Primes.RangeFor(TimeSpan.FromSeconds(context.Settings.Size(20, 2)));
        var cores = Environment.ProcessorCount;
        context.Note($"primes in [0, {to:N0}) as {PrimeCalibration.Chunks} chunks");

        // Both clusters idle while the other shape or the in-process runs measure, and every run measures all four
        // shapes back to back, so a ratio compares runs made under the same load from whatever else shares the cores.
        await using var twoByOne = await StartWarmAsync(context, 2, 1, cancellationToken);
        await using var oneByTwo = await StartWarmAsync(context, 1, 2, cancellationToken);
        foreach (var run in context.Runs)
        {
            var (single, singleTime) = RunInProcess(to, 1, cancellationToken);
            var benchCpu = ProcCpu.Seconds(Environment.ProcessId);
            var (_, limit) = RunInProcess(to, cores, cancellationToken);
            var limitCpu = ProcCpu.Seconds(Environment.ProcessId) - benchCpu;
            var expected = PrimeCalibration.Count(single.SummaryJson);
            context.Results.Add(Time("inprocess.1", "In process, 1 thread"), singleTime.TotalSeconds);
            context.Results.Add(Time("inprocess.all", $"In process, Parallel.For on {cores} threads (the limit)"), limit.TotalSeconds);
            context.Results.Add(Ratio("inprocess.1", "1 thread in process", null), limit / singleTime);
            context.Results.Add(new FigureSpec("cpu.inprocess_share", "cpu", $"Primes: in process, CPU seconds / (wall x {cores} cores)", "x"), limitCpu / (limit.TotalSeconds * cores));
            var note = $"run {run}: 1 thread {singleTime.TotalSeconds:0.00} s, {cores} threads {limit.TotalSeconds:0.00} s";
            foreach (var (cluster, shape) in new[] { (twoByOne, "2x1"), (oneByTwo, "1x2") })
            {
                var (_, workersBefore) = cluster.CpuSeconds();
                var (job, elapsed, _) = await cluster.RunAsync(PrimeCalibration.Spec(to), null, cancellationToken);
                PrimeCalibration.Check(expected, job);
                var workerCpu = cluster.CpuSeconds().Workers - workersBefore;

                // CPU seconds the workers spent against the wall time: equal CPU with a longer wall time means the
                // workers waited for cores (others ran), more CPU means the same work cost the process more.
                context.Results.Add(new FigureSpec($"cpu.workers_cpu.{shape}", "cpu", $"Primes: CPU seconds of the workers, {cluster.Description}", "s"), workerCpu);
                context.Results.Add(new FigureSpec($"cpu.cpu_ratio.{shape}", "cpu", $"Primes: CPU seconds in process on {cores} threads / workers' CPU seconds, {cluster.Description}", "x"), limitCpu / workerCpu);
                context.Results.Add(new FigureSpec($"cpu.workers_share.{shape}", "cpu", $"Primes: workers' CPU seconds / (wall x {cores} cores), {cluster.Description}", "x"), workerCpu / (elapsed.TotalSeconds * cores));
                var ratio = limit / elapsed;
                context.Results.Add(Time("cluster." + shape, $"Cluster, {cluster.Description}"), elapsed.TotalSeconds);
                context.Results.Add(Ratio("cluster." + shape, $"Cluster {cluster.Description}", Goal.AtLeast(0.95)), ratio);
                note += $", {cluster.Description} {elapsed.TotalSeconds:0.00} s ({ratio:0.000} of the limit)";
            }

            context.Note(note);
        }
    }

    private static async Task<BenchCluster> StartWarmAsync(BenchContext context, int workers, int threads, CancellationToken cancellationToken)
    {
        var cluster = await context.StartClusterAsync(workers, threads, cancellationToken);

        // The in-process runs follow the calibration, which warmed the sieve up; warm the workers' JIT up alike.
        await cluster.RunAsync(PrimeCalibration.Spec(PrimeCalibration.WarmUpTo), null, cancellationToken);
        return cluster;
    }

    private static (Jobs.JobOutput Output, TimeSpan Elapsed) RunInProcess(long to, int threads, CancellationToken cancellationToken) =>
        BenchContext.Time(() => InProcessJobRunner.Run(
            Kind,
            PrimeCalibration.Parameters(to),
            options: new InProcessRunOptions { Threads = threads, Chunks = PrimeCalibration.Chunks },
            cancellationToken: cancellationToken));

    private static FigureSpec Time(string id, string title) => new($"cpu.time.{id}", "cpu", "Primes: " + title, "s");

    private static FigureSpec Ratio(string id, string title, Goal? goal) =>
        new($"cpu.ratio.{id}", "cpu", $"Primes: {title}, throughput / limit", "x", goal);
}
