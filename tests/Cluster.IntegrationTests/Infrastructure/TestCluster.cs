using Cluster.Client;
using Cluster.Client.Local;
using Cluster.Contracts.V1;
using Cluster.Processes;
using Xunit.Abstractions;

namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>
/// A real coordinator and real workers on loopback, with the test-only kinds loaded. Disposing kills every process
/// it started, and writes their last output lines to the test log.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(120);

    private readonly ITestOutputHelper _output;
    private readonly LocalClusterOptions _options;
    private ClusterProcess? _replacementCoordinator;

    private TestCluster(LocalCluster cluster, LocalClusterOptions options, ITestOutputHelper output)
    {
        Cluster = cluster;
        _options = options;
        _output = output;
        Client = cluster.CreateClient();
    }

    public LocalCluster Cluster { get; }

    public ClusterClient Client { get; }

    public static async Task<TestCluster> StartAsync(
        ITestOutputHelper output,
        int workers = 2,
        int threads = 1,
        IReadOnlyList<string>? coordinatorArgs = null,
        bool restartWorkers = false,
        bool tokens = true,
        IReadOnlyDictionary<string, string>? workerEnvironment = null,
        bool viaCli = false)
    {
        var options = new LocalClusterOptions
        {
            Tokens = tokens,
            // viaCli: `cluster coordinator` and `cluster worker` processes, as a user starts a cluster by hand.
            CoordinatorCommand = viaCli ? new ProcessCommand("dotnet", [Executables.Cli, "coordinator"]) : Executables.Coordinator,
            WorkerCommand = viaCli ? new ProcessCommand("dotnet", [Executables.Cli, "worker"]) : Executables.Worker,
            Workers = workers,
            ThreadsPerWorker = threads,
            JobAssemblies = [Executables.TestKinds],
            CoordinatorArgs = coordinatorArgs ?? [],
            WorkerEnvironment = workerEnvironment ?? new Dictionary<string, string>(),
            StartupTimeout = TimeSpan.FromSeconds(60),
            RestartWorkers = restartWorkers,
            RestartDelay = TimeSpan.FromMilliseconds(100),
            MaxRestartDelay = TimeSpan.FromSeconds(1),
        };
        var cluster = await LocalCluster.StartNewAsync(options).WaitAsync(TimeSpan.FromSeconds(90));
        return new TestCluster(cluster, options, output);
    }

    /// <summary>The coordinator's HTTP port (metrics, dashboard), from the line it prints once it listens.</summary>
    public async Task<Uri> HttpUrlAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var line = Coordinator.Output.FirstOrDefault(l => l.StartsWith(Announcements.Http, StringComparison.Ordinal));
            if (line is not null)
            {
                return new Uri(line[Announcements.Http.Length..].Trim());
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
        }
    }

    /// <summary>
    /// Chunk payload bytes the coordinator has sent to workers so far (<c>cluster_io_bytes_total</c> of flow
    /// <c>chunk_payload</c> on its <c>/metrics</c>); 0 before the first. Chunks read by a worker from the coordinator's
    /// spool (local reads) count only their header.
    /// </summary>
    public async Task<double> PayloadBytesSentAsync(double atLeast = 0) =>
        // The exporter caches a scrape's answer for 300 ms, so a scrape right after a job can still show the count from
        // before it: poll until the count has reached what the test knows was sent by then.
        await PollAsync(ScrapePayloadBytesSentAsync, sent => sent >= atLeast, TimeSpan.FromSeconds(30), $"{atLeast} payload bytes sent on /metrics");

    private async Task<double> ScrapePayloadBytesSentAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(await HttpUrlAsync(), "/metrics"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Cluster.ClientToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        return text.Contains("flow=\"chunk_payload\"", StringComparison.Ordinal)
            ? Observability.MetricsText.Value(text, "cluster_io_bytes_total", "direction=\"transmit\"", "flow=\"chunk_payload\"")
            : 0;
    }

    /// <summary>The coordinator now running: the cluster's own, or the one that replaced it.</summary>
    public ClusterProcess Coordinator => _replacementCoordinator ?? Cluster.Coordinator;

    /// <summary>
    /// Kills the coordinator (SIGKILL, as a crash would) and starts a new one on the same port with the same settings,
    /// token file and TLS files; the workers rejoin it by themselves, and jobs the old coordinator ran are lost with it. The replacement is this test cluster's to
    /// dispose, not the <see cref="LocalCluster"/>'s.
    /// </summary>
    public async Task RestartCoordinatorAsync()
    {
        var old = Coordinator;
        old.Kill();
        await old.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (_replacementCoordinator is not null)
        {
            // An earlier replacement; the cluster's own coordinator is the cluster's to dispose.
            _replacementCoordinator.Dispose();
            _replacementCoordinator = null;
        }

        var launcher = new ClusterLauncher(_options);
        _replacementCoordinator = launcher.StartCoordinator(Cluster.Address.Port, Cluster.TokensFile);
        var address = await launcher.WaitForAddressAsync(_replacementCoordinator).WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(Cluster.Address, address);
    }

    /// <summary>Submits a job and waits (bounded) for its final state.</summary>
    public async Task<JobInfo> RunAsync(JobSpec spec, Stream? input = null)
    {
        var submitted = await Client.SubmitAsync(spec, input).WaitAsync(JobTimeout);
        return await Client.WaitForCompletionAsync(submitted.JobId).WaitAsync(JobTimeout);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing the test after <paramref name="timeout"/>.</summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe().WaitAsync(timeout);
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}; last value: {value}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        foreach (var process in new[] { Cluster.Coordinator, _replacementCoordinator }.OfType<ClusterProcess>().Concat(Cluster.Workers))
        {
            _output.WriteLine($"--- {process.Role} pid {process.Pid} (exited: {process.HasExited}, code {process.ExitCode})");
            foreach (var line in process.Output.TakeLast(30))
            {
                _output.WriteLine(line);
            }
        }

        await Cluster.DisposeAsync();
        _replacementCoordinator?.Dispose();
    }
}
