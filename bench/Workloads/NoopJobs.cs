using Cluster.Client;
using Cluster.Contracts.V1;
using Cluster.Jobs.BuiltIn.Diagnostics;
using Cluster.Jobs.InProcess;

namespace Cluster.Bench.Workloads;

/// <summary>Jobs of empty chunks, on the cluster and in process: what they cost is the cluster's own overhead.</summary>
internal static class NoopJobs
{
    private static readonly NoopKind Kind = new();

    public static JobSpec Spec(long chunks)
    {
        var spec = JobSpecs.Create("noop");
        spec.Chunks = chunks;
        return spec;
    }

    /// <summary>Runs <paramref name="chunks"/> empty chunks in this process on <paramref name="threads"/> threads.</summary>
    public static TimeSpan RunInProcess(long chunks, int threads) =>
        BenchContext.Time(() => InProcessJobRunner.Run(Kind, new Dictionary<string, object>(), options: new InProcessRunOptions { Threads = threads, Chunks = chunks })).Elapsed;
}
