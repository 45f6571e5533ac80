namespace Cluster.Bench.Workloads;

/// <summary>One measured workload: runs <see cref="BenchSettings.Runs"/> times and records its figures.</summary>
internal interface IWorkload
{
    /// <summary>The subcommand and the workload column of the report.</summary>
    string Name { get; }

    Task RunAsync(BenchContext context, CancellationToken cancellationToken);
}
