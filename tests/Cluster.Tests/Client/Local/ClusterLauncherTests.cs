using System.Net;
using System.Net.Sockets;
using Cluster.Client.Local;
using Cluster.Processes;

namespace Cluster.Tests.Client.Local;

/// <summary>What the launcher passes to the processes it starts, and how it waits for them (with <c>sh</c> standing in for a worker).</summary>
public sealed class ClusterLauncherTests
{
    private static readonly Uri Coordinator = new("http://127.0.0.1:7400/");

    [Fact]
    public void CoordinatorArgs_WithJobsAndExtraArgs_ListensOnLoopbackExitsWithParentExtraArgsLast()
    {
        var launcher = new ClusterLauncher(Options(jobs: ["kinds/a.dll", "b.dll"], coordinatorArgs: ["--Coordinator:Lease=00:00:02"]));

        var args = launcher.CoordinatorArgs(7400);

        Assert.Equal(
            ["--port", "7400", "--http-port", "0", "--host", "127.0.0.1", ProcessFlags.ExitWithParent, ClusterLauncher.WorkersShareFiles, "--jobs", $"{Path.GetFullPath("kinds/a.dll")},{Path.GetFullPath("b.dll")}", "--Coordinator:Lease=00:00:02"],
            args);
    }

    [Fact]
    public void CoordinatorArgs_DataDirectory_PassedBeforeExtraArgsAndNoBundleFolderOfItsOwn()
    {
        var launcher = new ClusterLauncher(Options(coordinatorArgs: ["--Coordinator:Lease=00:00:02"], dataDirectory: "/srv/data"));

        var args = launcher.CoordinatorArgs(0, bundleDirectory: null);

        Assert.Equal(["--port", "0", "--http-port", "0", "--host", "127.0.0.1", ProcessFlags.ExitWithParent, ClusterLauncher.WorkersShareFiles, "--data-dir", "/srv/data", "--Coordinator:Lease=00:00:02"], args);
    }

    [Fact]
    public void WorkerArgs_WithThreads_NamesCoordinatorIdAndThreads()
    {
        var launcher = new ClusterLauncher(Options(threads: 2, workerArgs: ["--Worker:Extra=1"]));

        var args = launcher.WorkerArgs("local-3", Coordinator);

        Assert.Equal(["--coordinator", "http://127.0.0.1:7400", "--id", "local-3", ProcessFlags.ExitWithParent, "--threads", "2", "--Worker:Extra=1"], args);
    }

    [Fact]
    public void WorkerArgs_NoThreadsNoJobs_LeavesThemToTheWorker()
    {
        var args = new ClusterLauncher(Options()).WorkerArgs("local-1", Coordinator);

        Assert.Equal(["--coordinator", "http://127.0.0.1:7400", "--id", "local-1", ProcessFlags.ExitWithParent], args);
    }

    [Fact]
    public void WorkerEnvironment_Extra_AddsToAndOverridesTheOptions()
    {
        var launcher = new ClusterLauncher(Options(environment: new Dictionary<string, string> { ["A"] = "1", ["B"] = "2" }));

        var environment = launcher.WorkerEnvironment(new Dictionary<string, string> { ["B"] = "3", ["C"] = "4" });

        Assert.Equal(new Dictionary<string, string> { ["A"] = "1", ["B"] = "3", ["C"] = "4" }, environment);
        Assert.Equal(new Dictionary<string, string> { ["A"] = "1", ["B"] = "2" }, launcher.WorkerEnvironment(null));
    }

    [Fact]
    public void StartCoordinator_CommandMissing_ThrowsLocalClusterExceptionNamingIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-coordinator-" + Guid.NewGuid().ToString("N"));
        var launcher = new ClusterLauncher(Options(coordinator: new ProcessCommand(missing, [])));

        var error = Assert.Throws<LocalClusterException>(() => launcher.StartCoordinator(0));

        Assert.StartsWith($"Cannot start the coordinator ('{missing}'): ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StartWorker_NegativePortOrBlankId_Throws()
    {
        var launcher = new ClusterLauncher(Options());

        Assert.Throws<ArgumentOutOfRangeException>(() => launcher.StartCoordinator(-1));
        Assert.Throws<ArgumentException>(() => launcher.StartWorker(" ", Coordinator));
    }

    [Fact]
    public async Task WaitForConnectedWorkersAsync_CoordinatorAnswersNoPollInTime_KeepsPollingUntilTheStartupDeadline()
    {
        // A listener that accepts connections and never answers: every poll runs into its 5 s call deadline, as on a
        // machine too busy for a coordinator that has just started. Only the start-up deadline may end the wait.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var launcher = new ClusterLauncher(Options(startupTimeout: TimeSpan.FromSeconds(7)));
        using var deadline = launcher.Deadline(CancellationToken.None);
        var address = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}");

        var error = await Assert.ThrowsAsync<LocalClusterException>(
            () => launcher.WaitForConnectedWorkersAsync(address, () => [], 1, null, deadline, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.StartsWith("Only 0 of 1 workers joined the coordinator within 7 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForJoinsAsync_EveryWorkerPrintsJoined_Completes()
    {
        await WithStandInWorkersAsync(TimeSpan.FromSeconds(60), "ok-1", "ok-2", async (launcher, deadline, workers) =>
        {
            await launcher.WaitForJoinsAsync(workers, deadline, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Contains("joined: ok-1", workers[0].Output);
            Assert.Contains("joined: ok-2", workers[1].Output);
        });
    }

    [Fact]
    public async Task WaitForJoinsAsync_OneWorkerExitsBeforeJoining_FailsNamingItWithoutWaitingForTheDeadline()
    {
        // The start-up timeout is far beyond the test's bound: only the exit can end the wait in time.
        await WithStandInWorkersAsync(TimeSpan.FromMinutes(10), "ok-1", "bad", async (launcher, deadline, workers) =>
        {
            var error = await Assert.ThrowsAsync<LocalClusterException>(
                () => launcher.WaitForJoinsAsync(workers, deadline, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));

            Assert.StartsWith("The worker bad exited (code 3) before it could join the coordinator", error.Message, StringComparison.Ordinal);
        });
    }

    /// <summary>Starts two stand-in workers with the given ids, runs <paramref name="test"/>, and kills them whatever happens.</summary>
    private static async Task WithStandInWorkersAsync(
        TimeSpan startupTimeout, string firstId, string secondId, Func<ClusterLauncher, DeadlineScope, ClusterProcess[], Task> test)
    {
        var launcher = new ClusterLauncher(Options(worker: JoinsUnlessIdIsBad(), startupTimeout: startupTimeout));
        using var deadline = launcher.Deadline(CancellationToken.None);
        using var first = launcher.StartWorker(firstId, Coordinator);
        using var second = launcher.StartWorker(secondId, Coordinator);
        try
        {
            await test(launcher, deadline, [first, second]);
        }
        finally
        {
            first.Kill();
            second.Kill();
        }
    }

    /// <summary>
    /// A stand-in worker: <c>sh</c> reads the id the launcher passes (<c>--coordinator URL --id ID ...</c>: $4), prints
    /// <c>joined: ID</c> and waits on its standard input, or exits with code 3 when the id is "bad".
    /// </summary>
    private static ProcessCommand JoinsUnlessIdIsBad() =>
        new("sh", ["-c", "if [ \"$4\" = bad ]; then exit 3; fi; echo \"joined: $4\"; exec cat", "worker"]);

    private static LocalClusterOptions Options(
        IReadOnlyList<string>? jobs = null,
        IReadOnlyList<string>? coordinatorArgs = null,
        int threads = 0,
        IReadOnlyList<string>? workerArgs = null,
        IReadOnlyDictionary<string, string>? environment = null,
        ProcessCommand? coordinator = null,
        TimeSpan? startupTimeout = null,
        ProcessCommand? worker = null,
        string? dataDirectory = null) => new()
        {
            StartupTimeout = startupTimeout ?? TimeSpan.FromSeconds(30),
            DataDirectory = dataDirectory,
            CoordinatorCommand = coordinator ?? new ProcessCommand("coordinator", []),
            WorkerCommand = worker ?? new ProcessCommand("worker", []),
            JobAssemblies = jobs ?? [],
            CoordinatorArgs = coordinatorArgs ?? [],
            ThreadsPerWorker = threads,
            WorkerArgs = workerArgs ?? [],
            WorkerEnvironment = environment ?? new Dictionary<string, string>(),
        };
}
