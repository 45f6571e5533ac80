using Cluster.Client.Local;

namespace Cluster.Tests.Client.Local;

/// <summary>
/// The order in which a local cluster starts its processes (<see cref="LocalCluster.StartProcessesAsync"/>), with
/// <c>sh</c> standing in for the coordinator and the workers; each stand-in leaves a file in a scratch folder.
/// </summary>
public sealed class LocalClusterStartTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A stand-in worker (<c>--coordinator URL --id ID</c>: $2, $4) writes the address it was given to
    /// <c>worker-ID</c>, then waits on its standard input.
    /// </summary>
    private static readonly ProcessCommand Worker = new("sh", ["-c", "echo \"$2\" > \"$MARKS/worker-$4\"; exec cat", "worker"]);

    private readonly DirectoryInfo _marks = Directory.CreateTempSubdirectory("local-cluster-start-");

    [Fact]
    public async Task StartProcessesAsync_CoordinatorListensOnlyOnceAWorkerRuns_StartsThemTogetherOnOneAddress()
    {
        // It prints its address ($2 is --port) only once a worker has started: had the workers waited for that line,
        // the start would run into its deadline.
        var coordinator = Coordinator("""
            i=0; while [ -z "$(ls "$MARKS" | grep worker-)" ]; do i=$((i+1)); [ $i -gt 1200 ] && exit 4; sleep 0.05; done
            echo "listening: http://127.0.0.1:$2"; exec cat
            """);
        await using var cluster = new LocalCluster(Options(coordinator, port: 0));
        using var deadline = new DeadlineScope(Bound, TimeProvider.System, CancellationToken.None);

        var workers = await cluster.StartProcessesAsync(deadline, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(["local-1", "local-2"], workers.Select(w => w.Id));
        Assert.Equal(1, StartsOfCoordinator());
        var announced = cluster.Address.ToString().TrimEnd('/');
        foreach (var (id, _) in workers)
        {
            Assert.Equal(announced, (await ReadMarkAsync("worker-" + id)).Trim());
        }
    }

    [Fact]
    public async Task StartProcessesAsync_PortTakenBeforeTheCoordinatorBoundIt_StartsEverythingAgainOnAnotherPort()
    {
        // The first coordinator fails as Kestrel does on a taken port; the second listens.
        var coordinator = Coordinator("""
            if [ "$(cat "$MARKS"/coordinator-* | wc -l)" = 1 ]; then
              echo "error: the coordinator could not start: Failed to bind to address http://127.0.0.1:$2: address already in use." >&2; exit 1
            fi
            echo "listening: http://127.0.0.1:$2"; exec cat
            """);
        await using var cluster = new LocalCluster(Options(coordinator, port: 0));
        using var deadline = new DeadlineScope(Bound, TimeProvider.System, CancellationToken.None);

        var workers = await cluster.StartProcessesAsync(deadline, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(2, StartsOfCoordinator());
        Assert.Equal(["local-1", "local-2"], workers.Select(w => w.Id));
        Assert.Equal(2, cluster.Workers.Count);
        Assert.All(cluster.Workers, w => Assert.False(w.HasExited));
        var second = File.ReadAllLines(Path.Combine(_marks.FullName, "coordinator-2"))[0];
        Assert.Equal($"http://127.0.0.1:{second}", cluster.Address.ToString().TrimEnd('/'));
    }

    [Fact]
    public async Task StartProcessesAsync_PortTakenBeforeTheCoordinatorBoundIt_SecondStartHasFreshTokens()
    {
        // Each coordinator records the token file it was given; the first fails as Kestrel does on a taken port.
        var coordinator = Coordinator("""
            port=$2
            while [ $# -gt 0 ]; do if [ "$1" = --tokens ]; then grep -v '^#' "$2" >> "$MARKS/tokens-seen"; fi; shift; done
            if [ "$(cat "$MARKS"/coordinator-* | wc -l)" = 1 ]; then
              echo "error: the coordinator could not start: Failed to bind to address http://127.0.0.1:$port: address already in use." >&2; exit 1
            fi
            echo "listening: http://127.0.0.1:$port"; exec cat
            """);
        await using var cluster = new LocalCluster(Options(coordinator, port: 0, tokens: true));
        using var deadline = new DeadlineScope(Bound, TimeProvider.System, CancellationToken.None);

        await cluster.StartProcessesAsync(deadline, CancellationToken.None).WaitAsync(Bound);

        var seen = await File.ReadAllLinesAsync(Path.Combine(_marks.FullName, "tokens-seen"));
        var workerLines = seen.Where(l => l.StartsWith(LocalTokens.WorkerName + ":", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, workerLines.Count);
        Assert.NotEqual(workerLines[0], workerLines[1]);
        Assert.Equal($"{LocalTokens.WorkerName}:worker:{cluster.WorkerToken}", workerLines[1]);
    }

    [Theory]
    [InlineData(7411, "Failed to bind to address http://127.0.0.1:$2: address already in use.", "The coordinator exited (code 1) before it could print its address")]
    [InlineData(0, "Coordinator:Lease must be positive.", "The coordinator exited (code 1) before it could print its address")]
    public async Task StartProcessesAsync_PortGivenAndTakenOrOtherFailure_FailsWithoutStartingAgain(int port, string error, string expected)
    {
        // A port the caller chose is not changed behind their back; any other failure is not the port's.
        var coordinator = Coordinator($"echo \"error: the coordinator could not start: {error}\" >&2; exit 1");
        await using var cluster = new LocalCluster(Options(coordinator, port));
        using var deadline = new DeadlineScope(Bound, TimeProvider.System, CancellationToken.None);

        var failure = await Assert.ThrowsAsync<LocalClusterException>(() => cluster.StartProcessesAsync(deadline, CancellationToken.None).WaitAsync(Bound));

        Assert.StartsWith(expected, failure.Message, StringComparison.Ordinal);
        Assert.Contains(error.Replace("$2", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, StartsOfCoordinator());
    }

    public void Dispose() => _marks.Delete(recursive: true);

    /// <summary>A stand-in coordinator: records its start and the port it was given (<c>--port PORT</c>: $2) in <c>coordinator-N</c>, then runs <paramref name="script"/>.</summary>
    private static ProcessCommand Coordinator(string script) =>
        new("sh", ["-c", "n=$(ls \"$MARKS\" | grep -c coordinator-); echo \"$2\" > \"$MARKS/coordinator-$((n+1))\"\n" + script, "coordinator"]);

    private int StartsOfCoordinator() => _marks.GetFiles("coordinator-*").Length;

    private async Task<string> ReadMarkAsync(string name)
    {
        // The stand-in worker may still be writing it: read once it holds a line, within the bound.
        var path = Path.Combine(_marks.FullName, name);
        using var timeout = new CancellationTokenSource(Bound);
        while (!File.Exists(path) || !(await File.ReadAllTextAsync(path, timeout.Token)).EndsWith('\n'))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }

        return await File.ReadAllTextAsync(path, timeout.Token);
    }

    private LocalClusterOptions Options(ProcessCommand coordinator, int port, bool tokens = false) => new()
    {
        CoordinatorCommand = coordinator,
        WorkerCommand = Worker,
        Workers = 2,
        Port = port,
        Tokens = tokens,
        DataDirectory = _marks.FullName,
        StartupTimeout = Bound,
        CoordinatorEnvironment = new Dictionary<string, string> { ["MARKS"] = _marks.FullName },
        WorkerEnvironment = new Dictionary<string, string> { ["MARKS"] = _marks.FullName },
    };
}
