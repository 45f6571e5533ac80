using System.Diagnostics;
using Cluster.Client;
using Cluster.Client.Local;
using Cluster.Contracts.V1;

namespace Cluster.Bench.Infrastructure;

/// <summary>
/// A real local cluster (a coordinator process and worker processes on loopback) with a client, as a user would run
/// one. Disposing stops every process it started.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private readonly LocalClusterOptions _options;
    private ClusterProcess? _replacement;

    private BenchCluster(LocalCluster cluster, LocalClusterOptions options, int workers, int threads)
    {
        Local = cluster;
        _options = options;
        Client = cluster.CreateClient(new ClusterClientOptions { CallTimeout = TimeSpan.FromSeconds(60) });
        Description = $"{workers} worker{(workers == 1 ? string.Empty : "s")} x {threads} thread{(threads == 1 ? string.Empty : "s")}";
    }

    public LocalCluster Local { get; }

    public ClusterClient Client { get; }

    /// <summary>For example "2 workers x 1 thread".</summary>
    public string Description { get; }

    /// <summary>Workers still running.</summary>
    public IReadOnlyList<ClusterProcess> LiveWorkers => [.. Local.Workers.Where(w => !w.HasExited)];

    public static async Task<BenchCluster> StartAsync(
        Executables executables,
        int workers,
        int threads,
        CancellationToken cancellationToken,
        IReadOnlyList<string>? coordinatorArgs = null,
        IReadOnlyList<string>? jobAssemblies = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var options = new LocalClusterOptions
        {
            CoordinatorCommand = executables.Coordinator,
            WorkerCommand = executables.Worker,
            Workers = workers,
            ThreadsPerWorker = threads,
            CoordinatorArgs = coordinatorArgs ?? [],
            JobAssemblies = jobAssemblies ?? [],
            CoordinatorEnvironment = environment ?? new Dictionary<string, string>(),
            WorkerEnvironment = environment ?? new Dictionary<string, string>(),
            StartupTimeout = TimeSpan.FromSeconds(60),
            StopGracePeriod = TimeSpan.FromSeconds(5),
        };
        var cluster = await LocalCluster.StartNewAsync(options, cancellationToken);
        return new BenchCluster(cluster, options, workers, threads);
    }

    /// <summary>The coordinator now running: the cluster's own, or the one <see cref="RestartCoordinatorAsync"/> started.</summary>
    public ClusterProcess Coordinator => _replacement ?? Local.Coordinator;

    /// <summary>
    /// SIGKILLs the coordinator, as a crash would, and starts a new one on the same port with the same settings; the
    /// workers rejoin by themselves. Returns the time from the kill until the new one printed its address (it reads its
    /// journal before it listens).
    /// </summary>
    public async Task<TimeSpan> RestartCoordinatorAsync(CancellationToken cancellationToken)
    {
        var old = Coordinator;
        var clock = Stopwatch.StartNew();
        old.Kill();
        await old.WaitForExitAsync(cancellationToken);
        _replacement?.Dispose();
        var launcher = new ClusterLauncher(_options);
        _replacement = launcher.StartCoordinator(Local.Address.Port, Local.TokensFile);
        await launcher.WaitForAddressAsync(_replacement, cancellationToken);
        return clock.Elapsed;
    }

    /// <summary>
    /// Submits a job and waits for its result; the time is what a client sees, from the start of the submission
    /// (including any input upload) to the merged result.
    /// </summary>
    /// <exception cref="InvalidOperationException">The job did not succeed.</exception>
    public async Task<JobRun> RunAsync(JobSpec spec, Stream? input, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var submitted = await Client.SubmitAsync(spec, input, cancellationToken);
        var accepted = clock.Elapsed;
        var final = await Client.WaitForCompletionAsync(submitted.JobId, cancellationToken: cancellationToken);
        clock.Stop();
        return new JobRun(Succeeded(final), clock.Elapsed, accepted);
    }

    /// <summary>Starts the peak-memory window of the coordinator and every live worker.</summary>
    public void ResetPeaks()
    {
        foreach (var process in LiveWorkers.Prepend(Local.Coordinator))
        {
            ProcMemory.ResetPeak(process.Pid);
        }
    }

    /// <summary>CPU seconds used so far by the coordinator and by the live workers together.</summary>
    public (double Coordinator, double Workers) CpuSeconds() =>
        (ProcCpu.Seconds(Local.Coordinator.Pid), LiveWorkers.Sum(w => ProcCpu.Seconds(w.Pid)));

    /// <summary>Peak RSS of the coordinator since <see cref="ResetPeaks"/>, in MB.</summary>
    public double CoordinatorPeakMB() => ProcMemory.ToMB(ProcMemory.PeakBytes(Local.Coordinator.Pid));

    /// <summary>The highest peak RSS among the live workers since <see cref="ResetPeaks"/>, in MB.</summary>
    public double WorkerPeakMB() => LiveWorkers.Max(w => ProcMemory.ToMB(ProcMemory.PeakBytes(w.Pid)));

    /// <summary>A finished job as the client saw it.</summary>
    /// <param name="Job">The final snapshot.</param>
    /// <param name="Elapsed">From the start of the submission to the merged result.</param>
    /// <param name="Accepted">From the start of the submission until the coordinator accepted it (the upload, for jobs with input).</param>
    public sealed record JobRun(JobInfo Job, TimeSpan Elapsed, TimeSpan Accepted);

    /// <exception cref="InvalidOperationException">The job did not succeed.</exception>
    public static JobInfo Succeeded(JobInfo job) =>
        job.State == JobState.Succeeded
            ? job
            : throw new InvalidOperationException($"Job {job.JobId} ({job.Kind}) ended {job.State}: {job.Error}");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            await Local.StopAsync(CancellationToken.None);
        }
        finally
        {
            await Local.DisposeAsync();
            _replacement?.Dispose();
        }
    }
}
