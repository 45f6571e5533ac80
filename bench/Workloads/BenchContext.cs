using System.Diagnostics;
using Cluster.Bench.Infrastructure;
using Cluster.Bench.Measurement;
using Cluster.Jobs;
using Spectre.Console;

namespace Cluster.Bench.Workloads;

/// <summary>What every workload needs: the settings, the executables to start, where figures and progress go.</summary>
internal sealed class BenchContext(BenchSettings settings, Executables executables, Results results, IAnsiConsole console)
{
    public BenchSettings Settings => settings;

    public Executables Executables => executables;

    public Results Results => results;

    /// <summary>Prime ranges sized by one calibration, shared by the cpu and failure workloads.</summary>
    public PrimeCalibration Primes { get; } = new();

    /// <summary>The runs to make, numbered from 1.</summary>
    public IEnumerable<int> Runs => Enumerable.Range(1, settings.Runs);

    /// <summary>A progress line (plain text, not markup).</summary>
    public void Note(string message) => console.WriteLine("  " + message);

    /// <summary>
    /// Starts a cluster (with <paramref name="environment"/> for its coordinator and workers, from <paramref name="from"/>
    /// or else the bench's own build) and says so.
    /// </summary>
    public async Task<BenchCluster> StartClusterAsync(
        int workers,
        int threads,
        CancellationToken cancellationToken,
        IReadOnlyList<string>? coordinatorArgs = null,
        IReadOnlyList<string>? jobAssemblies = null,
        IReadOnlyDictionary<string, string>? environment = null,
        Executables? from = null)
    {
        var clock = Stopwatch.StartNew();
        var cluster = await BenchCluster.StartAsync(from ?? executables, workers, threads, cancellationToken, coordinatorArgs, jobAssemblies, environment);
        Note($"cluster of {cluster.Description} ready in {clock.Elapsed.TotalSeconds:0.00} s");
        return cluster;
    }

    /// <summary>Runs a job in this process and times it.</summary>
    public static (JobOutput Output, TimeSpan Elapsed) Time(Func<JobOutput> run)
    {
        var clock = Stopwatch.StartNew();
        var output = run();
        return (output, clock.Elapsed);
    }
}
