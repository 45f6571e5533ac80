using Cluster.Bench.Measurement;

namespace Cluster.Bench.Workloads;

/// <summary>
/// Latency: sequential one-chunk noop jobs on 2 workers of 1 thread each, each timed from the start of its submission
/// to its merged result (p50 and p99), next to the same job run in process.
/// </summary>
internal sealed class LatencyWorkload : IWorkload
{
    private static readonly FigureSpec ClusterP50 = new("latency.cluster.p50", "latency", "One-chunk job, submit to result, p50", "ms", Goal.Below(2));
    private static readonly FigureSpec ClusterP99 = new("latency.cluster.p99", "latency", "One-chunk job, submit to result, p99", "ms");
    private static readonly FigureSpec InProcessP50 = new("latency.inprocess.p50", "latency", "One-chunk job in process, p50", "ms");

    public string Name => "latency";

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var jobs = context.Settings.Size(1_000, 100);
        await using var cluster = await context.StartClusterAsync(2, 1, cancellationToken);
        for (var i = 0; i < 20; i++)
        {
            await cluster.RunAsync(NoopJobs.Spec(1), null, cancellationToken);
        }

        foreach (var run in context.Runs)
        {
            var samples = new List<double>(jobs);
            for (var i = 0; i < jobs; i++)
            {
                var (_, elapsed, _) = await cluster.RunAsync(NoopJobs.Spec(1), null, cancellationToken);
                samples.Add(elapsed.TotalMilliseconds);
            }

            var inProcess = Enumerable.Range(0, jobs).Select(_ => NoopJobs.RunInProcess(1, 1).TotalMilliseconds).ToList();
            var p50 = Stats.Percentile(samples, 0.5);
            var p99 = Stats.Percentile(samples, 0.99);
            context.Results.Add(ClusterP50, p50);
            context.Results.Add(ClusterP99, p99);
            context.Results.Add(InProcessP50, Stats.Median(inProcess));
            context.Note($"run {run}: {jobs:N0} sequential one-chunk jobs, p50 {p50:0.00} ms, p99 {p99:0.00} ms, max {samples.Max():0.00} ms; in process p50 {Stats.Median(inProcess):0.000} ms");
        }
    }
}
