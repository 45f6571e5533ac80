using System.Globalization;
using Cluster.Processes;

namespace Cluster.Client.Local;

/// <summary>
/// A coordinator and workers running as child processes on 127.0.0.1, for the CLI's embedded mode, tests and
/// benchmarks. Children are started with <c>--exit-with-parent</c> and a piped standard input, so they exit when this
/// process dies, however it dies. Dispose it to kill whatever is left; call <see cref="StopAsync"/> first for a graceful stop.
/// The coordinator keeps uploaded bundles in a fresh temporary folder of its own, deleted on dispose.
/// </summary>
/// <remarks>
/// A <see cref="ClusterLauncher"/> starts the processes and waits for them to announce themselves; one supervisor per
/// worker reports the worker's exit to the coordinator and, with <see cref="LocalClusterOptions.RestartWorkers"/>,
/// starts it again.
/// </remarks>
public sealed class LocalCluster : IAsyncDisposable
{
    private static readonly TimeSpan ReportCallTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SupervisorStopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How many times a start is made when the port chosen for the coordinator was taken before it bound it.</summary>
    internal const int PortAttempts = 3;

    private readonly LocalClusterOptions _options;
    private readonly ClusterLauncher _launcher;
    private readonly Lock _gate = new();
    private readonly List<ClusterProcess> _workers = [];
    private readonly WorkerSupervisors _supervisors = new();
    private ClusterProcess? _coordinator;
    private Uri? _address;
    private Uri? _httpAddress;
    private LocalTokens? _tokens;
    private DirectoryInfo? _bundles;
    private int _workersStarted;
    private bool _disposed;

    /// <summary>Creates the cluster; nothing is started until <see cref="StartAsync"/>.</summary>
    public LocalCluster(LocalClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Workers);
        _options = options;
        _launcher = new ClusterLauncher(options);
    }

    /// <summary>The coordinator's URL, once started.</summary>
    /// <exception cref="InvalidOperationException">Not started.</exception>
    public Uri Address => _address ?? throw new InvalidOperationException("The local cluster has not been started.");

    /// <summary>
    /// The coordinator's HTTP port (<c>/metrics</c> and the web dashboard at <c>/</c>), as it announced it once started;
    /// <see langword="null"/> before that or when it has none.
    /// </summary>
    public Uri? HttpAddress => _httpAddress;

    /// <summary>The coordinator process, once started.</summary>
    /// <exception cref="InvalidOperationException">Not started.</exception>
    public ClusterProcess Coordinator => _coordinator ?? throw new InvalidOperationException("The local cluster has not been started.");

    /// <summary>
    /// The secret of the client token the cluster made at start (see <see cref="LocalClusterOptions.Tokens"/>), for
    /// clients other than <see cref="CreateClient"/>'s; <see langword="null"/> without tokens or before the start.
    /// </summary>
    public string? ClientToken => _tokens?.ClientSecret;

    /// <summary>
    /// The secret of the worker token the cluster made at start, for workers it does not start itself (hand it over
    /// in <c>CLUSTER_TOKEN</c>); <see langword="null"/> without tokens or before the start.
    /// </summary>
    public string? WorkerToken => _tokens?.WorkerSecret;

    /// <summary>
    /// The token file (mode 0600) the cluster's coordinator reads, holding <see cref="WorkerToken"/> and
    /// <see cref="ClientToken"/>, for a coordinator started by hand in its place; deleted when the cluster is disposed,
    /// <see langword="null"/> without tokens or before the start.
    /// </summary>
    public string? TokensFile => _tokens?.FilePath;

    /// <summary>The worker processes started so far (including ones that have exited).</summary>
    public IReadOnlyList<ClusterProcess> Workers
    {
        get
        {
            lock (_gate)
            {
                return [.. _workers];
            }
        }
    }

    /// <summary>Creates and starts a cluster; on failure, nothing is left running.</summary>
    public static async Task<LocalCluster> StartNewAsync(LocalClusterOptions options, CancellationToken cancellationToken = default)
    {
        var cluster = new LocalCluster(options);
        try
        {
            await cluster.StartAsync(cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts the coordinator and <see cref="LocalClusterOptions.Workers"/> workers at the same time, waits for the
    /// coordinator's <c>listening:</c> line, then until it lists them all as connected, everything within
    /// <see cref="LocalClusterOptions.StartupTimeout"/>. On failure every started child is killed.
    /// </summary>
    /// <exception cref="LocalClusterException">A child exited early or did not announce itself in time.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_coordinator is not null)
        {
            throw new InvalidOperationException("The local cluster has already been started.");
        }

        using var startup = _launcher.Deadline(cancellationToken);
        try
        {
            // Without a data directory, bundles uploaded to this cluster die with it, as its jobs do, and are never
            // another cluster's; with one, they are kept in it with the jobs (the coordinator's default).
            _bundles = _options.DataDirectory is null ? Directory.CreateTempSubdirectory("cluster-local-bundles-") : null;
            var workers = await StartProcessesAsync(startup, cancellationToken).ConfigureAwait(false);
            foreach (var (id, worker) in workers)
            {
                Supervise(id, worker, null);
            }

            await _launcher.WaitForConnectedWorkersAsync(_address!, () => Workers, _options.Workers, ClientToken, startup, cancellationToken).ConfigureAwait(false);

            // Printed right after the address, long before the workers have joined.
            _httpAddress = _coordinator!.Output.Select(l => Announcement.TryParseHttp(l, out var url) ? url : null).FirstOrDefault(u => u is not null);
        }
        catch
        {
            _supervisors.Stop();
            KillAll();
            throw;
        }
    }

    /// <summary>
    /// Starts the coordinator and the workers together and waits for the coordinator's <c>listening:</c> line; returns
    /// the workers, not yet supervised. The workers cannot wait for the address the coordinator would announce, so
    /// without a <see cref="LocalClusterOptions.Port"/> the port is chosen here (free a moment before); they retry
    /// their join every 50 ms until the coordinator listens (the worker's <c>StartJoinWindow</c>). Should another
    /// process take that port in between, the coordinator fails to bind and exits, and the whole start is made again
    /// on another port, up to <see cref="PortAttempts"/> times.
    /// </summary>
    internal async Task<List<(string Id, ClusterProcess Worker)>> StartProcessesAsync(DeadlineScope startup, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            // Fresh secrets for every attempt: the workers of a failed one may have sent theirs to whatever process took
            // the port, so those must open nothing.
            _tokens?.Dispose();
            _tokens = _options.Tokens ? LocalTokens.Create() : null;
            var port = _options.Port != 0 ? _options.Port : ClusterLauncher.FreeLoopbackPort();
            _address = ClusterLauncher.LoopbackAddress(port);
            _coordinator = _launcher.StartCoordinator(port, _tokens?.FilePath, _bundles?.FullName);
            List<(string Id, ClusterProcess Worker)> workers = [];
            for (var i = 0; i < _options.Workers; i++)
            {
                var id = NextWorkerId();
                workers.Add((id, StartWorker(id, null)));
            }

            try
            {
                _address = await _launcher.WaitForAddressAsync(_coordinator, startup, cancellationToken).ConfigureAwait(false);
                return workers;
            }
            catch (LocalClusterException) when (_options.Port == 0 && attempt < PortAttempts && ClusterLauncher.PortTaken(_coordinator, port))
            {
                _options.Log?.Invoke($"[launcher] port {port} was taken before the coordinator could bind it; starting again on another");
                KillAll();
                foreach (var child in Children())
                {
                    child.Dispose();
                }

                lock (_gate)
                {
                    _workers.Clear();
                }

                _coordinator = null;
                _workersStarted = 0;
            }
        }
    }

    /// <summary>Starts one more worker and waits (within the start-up timeout) until it has joined.</summary>
    public Task<ClusterProcess> StartWorkerAsync(CancellationToken cancellationToken = default) => StartWorkerAsync(null, cancellationToken);

    /// <summary>
    /// Starts one more worker with extra environment variables (on top of <see cref="LocalClusterOptions.WorkerEnvironment"/>)
    /// and waits (within the start-up timeout) until it has joined.
    /// </summary>
    public async Task<ClusterProcess> StartWorkerAsync(IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _ = Address;
        using var startup = _launcher.Deadline(cancellationToken);
        var id = NextWorkerId();
        var worker = StartWorker(id, environment);
        Supervise(id, worker, environment);
        await _launcher.WaitForJoinAsync(worker, startup, cancellationToken).ConfigureAwait(false);
        return worker;
    }

    /// <summary>A client of this cluster's coordinator, sending <see cref="ClientToken"/> unless <paramref name="options"/> name a token; the caller disposes it.</summary>
    public ClusterClient CreateClient(ClusterClientOptions? options = null) => new(Address, (options ?? new ClusterClientOptions()).WithDefaultToken(ClientToken));

    /// <summary>
    /// Stops gracefully: SIGTERM to every worker, then to the coordinator, each phase waiting up to
    /// <see cref="LocalClusterOptions.StopGracePeriod"/>; whatever still runs is then killed.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _supervisors.StopAsync(SupervisorStopTimeout, _options.TimeProvider).ConfigureAwait(false);
        try
        {
            await TerminateAsync(Workers, cancellationToken).ConfigureAwait(false);
            if (_coordinator is not null)
            {
                await TerminateAsync([_coordinator], cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            KillAll();
        }
    }

    /// <summary>Kills every child still running. Idempotent; never throws.</summary>
    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        _supervisors.Stop();
        KillAll();
        foreach (var child in Children())
        {
            child.Dispose();
        }

        _supervisors.Dispose();
        _tokens?.Dispose();
        DeleteBundles();

        return ValueTask.CompletedTask;
    }

    private void DeleteBundles()
    {
        try
        {
            _bundles?.Delete(recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left in the temporary folder: bundles of a cluster that is gone, which no process uses any longer.
        }
    }

    private string NextWorkerId() => "local-" + Interlocked.Increment(ref _workersStarted).ToString(CultureInfo.InvariantCulture);

    private void Supervise(string id, ClusterProcess worker, IReadOnlyDictionary<string, string>? environment) =>
        _supervisors.Add(WorkerSupervisor.Start(id, worker, () => StartWorker(id, environment), ReportExitAsync, _options));

    private ClusterProcess StartWorker(string id, IReadOnlyDictionary<string, string>? environment)
    {
        var worker = _launcher.StartWorker(id, Address, WithWorkerToken(environment));
        lock (_gate)
        {
            _workers.Add(worker);
        }

        return worker;
    }

    /// <summary>The worker's environment: its token in CLUSTER_TOKEN, under what the caller gives (which may replace it).</summary>
    private IReadOnlyDictionary<string, string>? WithWorkerToken(IReadOnlyDictionary<string, string>? environment)
    {
        if (_tokens is null)
        {
            return environment;
        }

        var merged = new Dictionary<string, string>(StringComparer.Ordinal) { [BearerToken.EnvironmentVariable] = _tokens.WorkerSecret };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            merged[name] = value;
        }

        return merged;
    }

    private async Task ReportExitAsync(string workerId, int pid, int exitCode, string description, CancellationToken cancellationToken)
    {
        // The workers' token: reporting a worker's exit is the worker role's, not the client's.
        using var client = new ClusterClient(Address, new ClusterClientOptions { CallTimeout = ReportCallTimeout, TimeProvider = _options.TimeProvider, Token = _tokens?.WorkerSecret });
        await client.ReportWorkerExitAsync(workerId, pid, exitCode, description, cancellationToken).ConfigureAwait(false);
    }

    private async Task TerminateAsync(IReadOnlyList<ClusterProcess> children, CancellationToken cancellationToken)
    {
        foreach (var child in children)
        {
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            {
                child.Signal(Signals.SigTerm);
            }
            else
            {
                child.Kill();
            }
        }

        using var grace = new DeadlineScope(_options.StopGracePeriod, _options.TimeProvider, cancellationToken);
        try
        {
            await Task.WhenAll(children.Select(c => c.WaitForExitAsync(grace.Token))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (grace.TimedOut && !cancellationToken.IsCancellationRequested)
        {
            // Past the grace period: the survivors are killed by the caller.
        }
    }

    private void KillAll()
    {
        foreach (var child in Children())
        {
            child.Kill();
        }
    }

    private List<ClusterProcess> Children()
    {
        var children = new List<ClusterProcess>(Workers);
        if (_coordinator is not null)
        {
            children.Add(_coordinator);
        }

        return children;
    }
}
