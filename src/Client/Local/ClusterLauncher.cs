using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cluster.Processes;
using Grpc.Core;

namespace Cluster.Client.Local;

/// <summary>
/// Starts coordinator and worker processes as <see cref="LocalClusterOptions"/> describes them (commands, arguments,
/// environment, <c>--exit-with-parent</c>), and waits for the lines they announce themselves with, each wait within
/// <see cref="LocalClusterOptions.StartupTimeout"/>. It keeps no state: the caller owns, stops and disposes what it starts.
/// <see cref="LocalCluster"/> is built on it; use it directly to start a process a local cluster does not manage,
/// such as a replacement coordinator on the port of one that was killed.
/// </summary>
public sealed class ClusterLauncher
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ReadinessCallTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ExitSettleTime = TimeSpan.FromSeconds(2);

    private readonly LocalClusterOptions _options;

    /// <summary>Creates a launcher for the processes <paramref name="options"/> describes.</summary>
    public ClusterLauncher(LocalClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Starts a coordinator listening on 127.0.0.1:<paramref name="port"/> (0: a free port); see <see cref="WaitForAddressAsync(ClusterProcess, CancellationToken)"/>.</summary>
    /// <exception cref="LocalClusterException">The process could not be started.</exception>
    public ClusterProcess StartCoordinator(int port) => StartCoordinator(port, tokensFile: null);

    /// <summary>
    /// Starts a coordinator listening on 127.0.0.1:<paramref name="port"/> that accepts the tokens of
    /// <paramref name="tokensFile"/> (<see langword="null"/>: every caller), for example a replacement of a local
    /// cluster's coordinator with its <see cref="LocalCluster.TokensFile"/>.
    /// </summary>
    /// <exception cref="LocalClusterException">The process could not be started.</exception>
    public ClusterProcess StartCoordinator(int port, string? tokensFile) => StartCoordinator(port, tokensFile, bundleDirectory: null);

    /// <summary>As <see cref="StartCoordinator(int, string?)"/>, keeping uploaded bundles in <paramref name="bundleDirectory"/> when given.</summary>
    internal ClusterProcess StartCoordinator(int port, string? tokensFile, string? bundleDirectory)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        return Start("coordinator", _options.CoordinatorCommand, CoordinatorArgs(port, tokensFile, bundleDirectory), _options.CoordinatorEnvironment);
    }

    /// <summary>
    /// Starts a worker with id <paramref name="workerId"/> that joins the coordinator at <paramref name="coordinator"/>,
    /// with <paramref name="environment"/> on top of <see cref="LocalClusterOptions.WorkerEnvironment"/>.
    /// </summary>
    /// <exception cref="LocalClusterException">The process could not be started.</exception>
    public ClusterProcess StartWorker(string workerId, Uri coordinator, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentNullException.ThrowIfNull(coordinator);
        return Start("worker " + workerId, _options.WorkerCommand, WorkerArgs(workerId, coordinator), WorkerEnvironment(environment));
    }

    /// <summary>Waits for the coordinator's <c>listening:</c> line and returns the address it announced.</summary>
    /// <exception cref="LocalClusterException">It exited first, or did not announce itself within the start-up timeout.</exception>
    public async Task<Uri> WaitForAddressAsync(ClusterProcess coordinator, CancellationToken cancellationToken = default)
    {
        using var deadline = Deadline(cancellationToken);
        return await WaitForAddressAsync(coordinator, deadline, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the worker's first <c>joined:</c> line: the coordinator accepted it.</summary>
    /// <exception cref="LocalClusterException">It exited first, or did not join within the start-up timeout.</exception>
    public async Task WaitForJoinAsync(ClusterProcess worker, CancellationToken cancellationToken = default)
    {
        using var deadline = Deadline(cancellationToken);
        await WaitForJoinAsync(worker, deadline, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A port on 127.0.0.1 that was free a moment ago (bound to port 0, read, released), for a coordinator whose
    /// address its workers must know before it listens. Another process may take it in between: see <see cref="PortTaken"/>.
    /// </summary>
    internal static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The address of a coordinator started by this launcher on <paramref name="port"/>.</summary>
    internal static Uri LoopbackAddress(int port) => new($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>
    /// Whether the coordinator's output says it could not bind <paramref name="port"/> because another process has it
    /// (Kestrel: <c>Failed to bind to address http://127.0.0.1:PORT: address already in use.</c>).
    /// </summary>
    internal static bool PortTaken(ClusterProcess coordinator, int port)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        var address = ":" + port.ToString(CultureInfo.InvariantCulture);
        return coordinator.Output.Any(l => l.Contains("address already in use", StringComparison.OrdinalIgnoreCase) && l.Contains(address, StringComparison.Ordinal));
    }

    internal DeadlineScope Deadline(CancellationToken cancellationToken) => new(_options.StartupTimeout, _options.TimeProvider, cancellationToken);

    internal async Task<Uri> WaitForAddressAsync(ClusterProcess coordinator, DeadlineScope deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        var line = await AwaitLineAsync(coordinator, l => Announcement.TryParseListening(l, out _), "print its address", deadline, cancellationToken)
            .ConfigureAwait(false);
        return Announcement.TryParseListening(line, out var address)
            ? address
            : throw new InvalidOperationException($"The line '{line}' was taken for an address and is not one.");
    }

    internal async Task WaitForJoinAsync(ClusterProcess worker, DeadlineScope deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(worker);
        await AwaitLineAsync(worker, l => Announcement.TryParseJoined(l, out _), "join the coordinator", deadline, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until the coordinator lists <paramref name="expected"/> workers as connected: it asks once at once, then
    /// after every one of <paramref name="workers"/> (as first asked) printed its <c>joined:</c> line, then every
    /// 100 ms. Fails as soon as one of <paramref name="workers"/> (asked again on every poll) has exited.
    /// </summary>
    /// <remarks>
    /// The first call, made while the workers start, also readies this process's gRPC client code for the job that
    /// follows; waiting on the joined lines rather than a fixed poll interval asks again the moment the last one joined.
    /// </remarks>
    internal async Task WaitForConnectedWorkersAsync(
        Uri coordinator, Func<IReadOnlyList<ClusterProcess>> workers, int expected, string? token, DeadlineScope deadline, CancellationToken cancellationToken)
    {
        using var client = new ClusterClient(coordinator, new ClusterClientOptions { CallTimeout = ReadinessCallTimeout, TimeProvider = _options.TimeProvider, Token = token });
        var connected = 0;
        var joins = WaitForJoinsAsync(workers(), deadline, cancellationToken);
        try
        {
            while (true)
            {
                if (workers().FirstOrDefault(w => w.HasExited) is { } dead)
                {
                    throw Failure(dead, $"The {dead.Role} exited (code {await ExitCodeTextAsync(dead).ConfigureAwait(false)}) before joining the coordinator");
                }

                try
                {
                    var listed = await client.ListWorkersAsync(cancellationToken: deadline.Token).ConfigureAwait(false);
                    connected = listed.Count(w => w.Status == "connected");
                    if (connected >= expected)
                    {
                        return;
                    }
                }
                catch (ClusterException e) when (e.StatusCode == StatusCode.DeadlineExceeded && !deadline.Token.IsCancellationRequested)
                {
                    // A coordinator that has just started may answer one poll late on a busy machine: that poll says
                    // nothing yet, and the start-up deadline, not the call's, decides when waiting has failed.
                }

                if (!joins.IsCompleted)
                {
                    // Throws when a worker exits or does not join in time.
                    await joins.ConfigureAwait(false);
                    continue;
                }

                await Task.Delay(PollInterval, _options.TimeProvider, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LocalClusterException(
                $"Only {connected} of {expected} workers joined the coordinator within {_options.StartupTimeout.TotalSeconds:0.#} s.",
                [.. workers().SelectMany(w => w.Output.TakeLast(10).Select(l => $"[{w.Role}] {l}"))]);
        }
    }

    /// <summary>
    /// Waits for the <c>joined:</c> line of every one of <paramref name="workers"/> (they print it once the coordinator
    /// accepted them), all at once; the first worker that exits or does not join in time fails the wait at once.
    /// </summary>
    internal async Task WaitForJoinsAsync(IReadOnlyList<ClusterProcess> workers, DeadlineScope deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workers);
        var pending = workers.Select(w => WaitForJoinAsync(w, deadline, cancellationToken)).ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).ConfigureAwait(false);
            // Throws the first failure; the caller kills the other workers, which ends their waits.
            await done.ConfigureAwait(false);
            pending.Remove(done);
        }
    }

    /// <summary>The coordinator setting that says its workers read this machine's files (ListKindsResponse.workers_share_files).</summary>
    internal const string WorkersShareFiles = "--Coordinator:WorkersShareFiles=true";

    internal List<string> CoordinatorArgs(int port, string? tokensFile = null, string? bundleDirectory = null)
    {
        // Its workers are started here, on this machine: clients here may name input files instead of uploading them.
        // The HTTP port (metrics) is picked free too, so that clusters side by side do not fight over the default 7401.
        List<string> args = ["--port", port.ToString(CultureInfo.InvariantCulture), "--http-port", "0", "--host", "127.0.0.1", ProcessFlags.ExitWithParent, WorkersShareFiles];
        if (tokensFile is not null)
        {
            args.AddRange(["--tokens", tokensFile]);
        }

        if (_options.DataDirectory is not null)
        {
            // Before the caller's arguments too; on every start, so a replacement coordinator finds the journal.
            args.AddRange(["--data-dir", _options.DataDirectory]);
        }

        if (bundleDirectory is not null)
        {
            // Before the caller's arguments, which may set another folder.
            args.Add("--Coordinator:BundleDirectory=" + bundleDirectory);
        }

        AddJobs(args);
        args.AddRange(_options.CoordinatorArgs);
        return args;
    }

    internal List<string> WorkerArgs(string workerId, Uri coordinator)
    {
        List<string> args = ["--coordinator", RpcErrors.Display(coordinator), "--id", workerId, ProcessFlags.ExitWithParent];
        if (_options.ThreadsPerWorker > 0)
        {
            args.AddRange(["--threads", _options.ThreadsPerWorker.ToString(CultureInfo.InvariantCulture)]);
        }

        AddJobs(args);
        args.AddRange(_options.WorkerArgs);
        return args;
    }

    internal Dictionary<string, string> WorkerEnvironment(IReadOnlyDictionary<string, string>? extra)
    {
        var merged = new Dictionary<string, string>(_options.WorkerEnvironment);
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            merged[name] = value;
        }

        return merged;
    }

    private void AddJobs(List<string> args)
    {
        if (_options.JobAssemblies.Count > 0)
        {
            args.AddRange(["--jobs", string.Join(',', _options.JobAssemblies.Select(Path.GetFullPath))]);
        }
    }

    private ClusterProcess Start(string role, ProcessCommand command, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment) =>
        ClusterProcess.Start(role, command, args, environment, _options.OutputLinesKept, _options.Log);

    private async Task<string> AwaitLineAsync(
        ClusterProcess child, Func<string, bool> match, string what, DeadlineScope deadline, CancellationToken cancellationToken)
    {
        string? line;
        try
        {
            line = await child.WaitForLineAsync(match, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure(child, $"The {child.Role} did not {what} within {_options.StartupTimeout.TotalSeconds:0.#} s");
        }

        return line ?? throw Failure(child, $"The {child.Role} exited (code {await ExitCodeTextAsync(child).ConfigureAwait(false)}) before it could {what}");
    }

    private async Task<string> ExitCodeTextAsync(ClusterProcess child)
    {
        // Output ends a moment before the exit is recorded; wait briefly so the code and the last lines are known.
        using var settle = new CancellationTokenSource(ExitSettleTime, _options.TimeProvider);
        try
        {
            await child.WaitForExitAsync(settle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return "unknown";
        }

        return child.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
    }

    private static LocalClusterException Failure(ClusterProcess child, string message) =>
        new($"{message}. Its last output:{Environment.NewLine}{child.OutputTail()}", child.Output);
}
