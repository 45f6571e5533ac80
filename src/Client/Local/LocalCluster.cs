using System.Globalization;
using Cluster.Processes;

namespace Cluster.Client.Local;

/// <summary>
/// A coordinator and workers running as child processes on 127.0.0.1, for the CLI's embedded mode, tests and
/// benchmarks. Children are started with <c>--exit-with-parent</c> and a piped standard input, so they exit when this
/// process dies, however it dies. Dispose it to kill whatever is left; call <see cref="StopAsync"/> first for a graceful stop.
/// </summary>
public sealed partial class LocalCluster : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly LocalClusterOptions _options;
    private readonly Lock _gate = new();
    private readonly List<ClusterProcess> _workers = [];
    private ClusterProcess? _coordinator;
    private Uri? _address;
    private int _workersStarted;
    private bool _disposed;

    /// <summary>Creates the cluster; nothing is started until <see cref="StartAsync"/>.</summary>
    public LocalCluster(LocalClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Workers);
        _options = options;
    }

    /// <summary>The coordinator's URL, once started.</summary>
    /// <exception cref="InvalidOperationException">Not started.</exception>
    public Uri Address => _address ?? throw new InvalidOperationException("The local cluster has not been started.");

    /// <summary>The coordinator process, once started.</summary>
    /// <exception cref="InvalidOperationException">Not started.</exception>
    public ClusterProcess Coordinator => _coordinator ?? throw new InvalidOperationException("The local cluster has not been started.");

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
            await cluster.StartAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the coordinator, waits for its <c>listening:</c> line, starts <see cref="LocalClusterOptions.Workers"/>
    /// workers and waits until the coordinator lists them all as connected, everything within
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

        using var startup = Deadline(cancellationToken);
        try
        {
            _coordinator = Launch("coordinator", _options.CoordinatorCommand, CoordinatorArgs(_options.Port.ToString(CultureInfo.InvariantCulture)), _options.CoordinatorEnvironment);
            var line = await AwaitLineAsync(_coordinator, l => Announcement.TryParseListening(l, out _), "print its address", startup.Token, cancellationToken);
            Announcement.TryParseListening(line, out var address);
            _address = address;
            for (var i = 0; i < _options.Workers; i++)
            {
                LaunchSupervisedWorker(null);
            }

            await AwaitConnectedWorkersAsync(_options.Workers, startup.Token, cancellationToken);
        }
        catch
        {
            KillAll();
            throw;
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
        using var startup = Deadline(cancellationToken);
        var worker = LaunchSupervisedWorker(environment);
        await AwaitLineAsync(worker, l => Announcement.TryParseJoined(l, out _), "join the coordinator", startup.Token, cancellationToken);
        return worker;
    }

    /// <summary>A client of this cluster's coordinator; the caller disposes it.</summary>
    public ClusterClient CreateClient(ClusterClientOptions? options = null) => new(Address, options);

    /// <summary>
    /// Stops gracefully: SIGTERM to every worker, then to the coordinator, each phase waiting up to
    /// <see cref="LocalClusterOptions.StopGracePeriod"/>; whatever still runs is then killed.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await StopSupervisionAsync();
        try
        {
            await TerminateAsync(Workers, cancellationToken);
            if (_coordinator is not null)
            {
                await TerminateAsync([_coordinator], cancellationToken);
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
        _stopping = true;
        _supervision.Cancel();
        KillAll();
        foreach (var child in Children())
        {
            child.Dispose();
        }

        _supervision.Dispose();
        return ValueTask.CompletedTask;
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
            await Task.WhenAll(children.Select(c => c.WaitForExitAsync(grace.Token)));
        }
        catch (OperationCanceledException) when (grace.TimedOut && !cancellationToken.IsCancellationRequested)
        {
            // Past the grace period: the survivors are killed by the caller.
        }
    }

    /// <summary>
    /// Kills the coordinator (SIGKILL) and starts a new one on the same port; the workers rejoin it by themselves.
    /// Jobs the old coordinator ran are lost with it.
    /// </summary>
    public async Task RestartCoordinatorAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var old = Coordinator;
        old.Kill();
        await old.WaitForExitAsync(cancellationToken);
        using var startup = Deadline(cancellationToken);
        var port = Address.Port.ToString(CultureInfo.InvariantCulture);
        _coordinator = Launch("coordinator", _options.CoordinatorCommand, CoordinatorArgs(port), _options.CoordinatorEnvironment);
        old.Dispose();
        await AwaitLineAsync(_coordinator, l => Announcement.TryParseListening(l, out _), "print its address", startup.Token, cancellationToken);
    }

    private ClusterProcess LaunchSupervisedWorker(IReadOnlyDictionary<string, string>? environment)
    {
        var id = "local-" + Interlocked.Increment(ref _workersStarted).ToString(CultureInfo.InvariantCulture);
        var worker = LaunchWorker(id, environment);
        Supervise(id, worker, environment);
        return worker;
    }

    private ClusterProcess LaunchWorker(string id, IReadOnlyDictionary<string, string>? environment)
    {
        var merged = new Dictionary<string, string>(_options.WorkerEnvironment);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            merged[name] = value;
        }

        var worker = Launch("worker " + id, _options.WorkerCommand, WorkerArgs(id), merged);
        lock (_gate)
        {
            _workers.Add(worker);
        }

        return worker;
    }

    private ClusterProcess Launch(string role, ProcessCommand command, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment) =>
        ClusterProcess.Start(role, command, args, environment, _options.OutputLinesKept, _options.Log);

    private List<string> CoordinatorArgs(string port)
    {
        List<string> args = ["--port", port, "--host", "127.0.0.1", ProcessFlags.ExitWithParent];
        AddJobs(args);
        args.AddRange(_options.CoordinatorArgs);
        return args;
    }

    private List<string> WorkerArgs(string id)
    {
        List<string> args = ["--coordinator", RpcErrors.Display(Address), "--id", id, ProcessFlags.ExitWithParent];
        if (_options.ThreadsPerWorker > 0)
        {
            args.AddRange(["--threads", _options.ThreadsPerWorker.ToString(CultureInfo.InvariantCulture)]);
        }

        AddJobs(args);
        args.AddRange(_options.WorkerArgs);
        return args;
    }

    private void AddJobs(List<string> args)
    {
        if (_options.JobAssemblies.Count > 0)
        {
            args.AddRange(["--jobs", string.Join(',', _options.JobAssemblies.Select(Path.GetFullPath))]);
        }
    }

    private async Task<string> AwaitLineAsync(
        ClusterProcess child, Func<string, bool> match, string what, CancellationToken deadline, CancellationToken cancellationToken)
    {
        string? line;
        try
        {
            line = await child.WaitForLineAsync(match, deadline);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure(child, $"The {child.Role} did not {what} within {_options.StartupTimeout.TotalSeconds:0.#} s");
        }

        return line ?? throw Failure(child, $"The {child.Role} exited (code {await ExitCodeTextAsync(child)}) before it could {what}");
    }

    private async Task AwaitConnectedWorkersAsync(int expected, CancellationToken deadline, CancellationToken cancellationToken)
    {
        using var client = CreateClient(new ClusterClientOptions { CallTimeout = TimeSpan.FromSeconds(5), TimeProvider = _options.TimeProvider });
        var connected = 0;
        try
        {
            while (true)
            {
                if (Workers.FirstOrDefault(w => w.HasExited) is { } dead)
                {
                    throw Failure(dead, $"The {dead.Role} exited (code {await ExitCodeTextAsync(dead)}) before joining the coordinator");
                }

                var workers = await client.ListWorkersAsync(cancellationToken: deadline);
                connected = workers.Count(w => w.Status == "connected");
                if (connected >= expected)
                {
                    return;
                }

                await Task.Delay(PollInterval, _options.TimeProvider, deadline);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LocalClusterException(
                $"Only {connected} of {expected} workers joined the coordinator within {_options.StartupTimeout.TotalSeconds:0.#} s.",
                [.. Workers.SelectMany(w => w.Output.TakeLast(10).Select(l => $"[{w.Role}] {l}"))]);
        }
    }

    private static async Task<string> ExitCodeTextAsync(ClusterProcess child)
    {
        // Output ends a moment before the exit is recorded; wait briefly so the code and the last lines are known.
        using var settle = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await child.WaitForExitAsync(settle.Token);
        }
        catch (OperationCanceledException)
        {
            return "unknown";
        }

        return child.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
    }

    private static LocalClusterException Failure(ClusterProcess child, string message) =>
        new($"{message}. Its last output:{Environment.NewLine}{child.OutputTail()}", child.Output);

    private DeadlineScope Deadline(CancellationToken cancellationToken) => new(_options.StartupTimeout, _options.TimeProvider, cancellationToken);

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
