namespace Cluster.Client.Local;

/// <summary>What <see cref="LocalCluster"/> starts and how long it waits.</summary>
public sealed class LocalClusterOptions
{
    /// <summary>How to start the coordinator; <c>--port</c>, <c>--host</c> and the rest are appended. Required.</summary>
    public required ProcessCommand CoordinatorCommand { get; init; }

    /// <summary>How to start a worker; <c>--coordinator</c> and the rest are appended. Required.</summary>
    public required ProcessCommand WorkerCommand { get; init; }

    /// <summary>Number of workers started by <see cref="LocalCluster.StartAsync"/>. Default 2.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Compute threads per worker; 0 leaves the worker's default (one per core). Default 0.</summary>
    public int ThreadsPerWorker { get; init; }

    /// <summary>Coordinator port on 127.0.0.1; 0 picks a free one. Default 0.</summary>
    public int Port { get; init; }

    /// <summary>Extra job-kind assemblies loaded by the coordinator and every worker (<c>--jobs</c>). Default none.</summary>
    public IReadOnlyList<string> JobAssemblies { get; init; } = [];

    /// <summary>
    /// The coordinator's data directory (<c>--data-dir</c>): its journal, so jobs survive a restart of the coordinator,
    /// with their inputs and results, and the bundles uploaded to the cluster (under <c>bundles</c>). Default null: no
    /// journal, jobs live in memory, and bundles go to a temporary folder removed with the cluster.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>Extra arguments for the coordinator, for example <c>--Coordinator:Lease=00:00:02</c>. Default none.</summary>
    public IReadOnlyList<string> CoordinatorArgs { get; init; } = [];

    /// <summary>Extra arguments for every worker. Default none.</summary>
    public IReadOnlyList<string> WorkerArgs { get; init; } = [];

    /// <summary>Extra environment variables for the coordinator. Default none.</summary>
    public IReadOnlyDictionary<string, string> CoordinatorEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra environment variables for every worker. Default none.</summary>
    public IReadOnlyDictionary<string, string> WorkerEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The environment of a cluster that lives for one job (the CLI's <c>cluster submit</c> without a coordinator), for
    /// <see cref="CoordinatorEnvironment"/> and <see cref="WorkerEnvironment"/>. Both settings were measured side by side
    /// (README "Cold workers and start-up" and "Data by reference"):
    /// <list type="bullet">
    /// <item>the runtime's W^X protection off (<c>DOTNET_EnableWriteXorExecute=0</c>), which maps every page of code it
    /// writes twice, writable and executable, and costs a .NET start about a tenth of its CPU time;</item>
    /// <item>a method is recompiled with full optimization after 1,000 calls instead of 30
    /// (<c>DOTNET_TC_CallCountThreshold=1000</c>): a one-job coordinator recompiled about 550 methods during a 2 GiB
    /// job, code that runs once per chunk or per request and never repays its compilation in a process that lives
    /// seconds; what runs per item reaches 1,000 calls at once, and loops are optimized on the stack as before.</item>
    /// </list>
    /// Such processes live for one job, on loopback, running the user's own code; a cluster that keeps running keeps
    /// the runtime's defaults.
    /// </summary>
    public static IReadOnlyDictionary<string, string> OneJobEnvironment { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DOTNET_EnableWriteXorExecute"] = "0",
        ["DOTNET_TC_CallCountThreshold"] = "1000",
    };

    /// <summary>How long the coordinator may take to listen, and the workers to join. Default 30 seconds.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long <see cref="LocalCluster.StopAsync"/> waits after SIGTERM before killing. Default 10 seconds.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Receives every output line of every child, prefixed with its role. Default none.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Output lines kept per process for error messages. Default 200.</summary>
    public int OutputLinesKept { get; init; } = 200;

    /// <summary>
    /// Restart a worker that exits while the cluster runs (same id, exponential backoff with jitter), so the cluster
    /// keeps its size. Default <see langword="false"/>; the CLI turns it on.
    /// </summary>
    public bool RestartWorkers { get; init; }

    /// <summary>First delay before restarting a worker; it doubles (with jitter) up to <see cref="MaxRestartDelay"/>. Default 200 ms.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest delay before restarting a worker. Default 5 seconds.</summary>
    public TimeSpan MaxRestartDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Generate random worker and client tokens at start: the coordinator reads them from a token file (mode 0600,
    /// deleted when the cluster is disposed), workers get theirs in <c>CLUSTER_TOKEN</c>, and
    /// <see cref="LocalCluster.CreateClient"/> sends the client token (<see cref="LocalCluster.ClientToken"/>). Default on.
    /// </summary>
    public bool Tokens { get; init; } = true;

    /// <summary>Clock for start-up deadlines, polling, restart delays and stop timeouts. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
