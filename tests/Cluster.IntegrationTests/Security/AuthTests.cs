using Cluster.Client;
using Cluster.Client.Local;
using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.Processes;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.BuiltInKindTests;

namespace Cluster.IntegrationTests.Security;

/// <summary>Tokens and roles on real processes over loopback: who may join, submit, see and cancel, and revocation.</summary>
[Collection(ProcessCollection.Name)]
public sealed class AuthTests(ITestOutputHelper output) : IDisposable
{
    private const int SigHup = 1;
    private const string WorkerSecret = "worker-secret-aaaaaaaaaaaaaaaa";
    private const string AliceSecret = "alice-secret-bbbbbbbbbbbbbbbb";
    private const string BobSecret = "bob-secret-cccccccccccccccccc";
    private const string RootSecret = "root-secret-dddddddddddddddd";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly string _folder = Directory.CreateTempSubdirectory("cluster-auth-test-").FullName;
    private readonly List<ClusterProcess> _processes = [];

    private string TokensPath => Path.Combine(_folder, "tokens");

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task LocalCluster_WithItsGeneratedTokens_RunsAJobToTheRightResultAndRefusesATokenlessClient()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 2);

        var job = await cluster.RunAsync(Spec("primes", ("from", 0L), ("to", 1_000_000L)));

        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal(78_498, Json(job).GetProperty("count").GetInt64());
        Assert.Equal("local-client", job.Owner);
        using var anonymous = new ClusterClient(cluster.Cluster.Address);
        var ex = await Assert.ThrowsAsync<ClusterException>(() => anonymous.ListJobsAsync());
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task Connect_WrongTokenOrClientToken_RefusedExitsAndNeverListed()
    {
        var (launcher, address) = await StartCoordinatorAsync();
        await StartWorkerAsync(launcher, address, "good", WorkerSecret);

        var wrong = Start(launcher.StartWorker("wrong", address, new Dictionary<string, string> { ["CLUSTER_TOKEN"] = "not-a-token-at-all-0000000" }));
        var client = Start(launcher.StartWorker("client", address, new Dictionary<string, string> { ["CLUSTER_TOKEN"] = AliceSecret }));
        await wrong.WaitForExitAsync().WaitAsync(Bound);
        await client.WaitForExitAsync().WaitAsync(Bound);

        Assert.Equal(2, wrong.ExitCode);
        Assert.Equal(2, client.ExitCode);
        Assert.Contains(wrong.Output, l => l.Contains("Unauthenticated", StringComparison.Ordinal));
        Assert.Contains(client.Output, l => l.Contains("PermissionDenied", StringComparison.Ordinal));

        // The coordinator logged the refusal with the peer's address (at most one line per host per 10 s), never the secret.
        var coordinatorLog = _processes[0].Output.ToList();
        Assert.Contains(coordinatorLog, l => l.Contains("Refused a call from ipv4:127.0.0.1:", StringComparison.Ordinal) && l.Contains("WorkerService/Connect", StringComparison.Ordinal));
        Assert.DoesNotContain(coordinatorLog, l => l.Contains("not-a-token-at-all", StringComparison.Ordinal) || l.Contains(AliceSecret, StringComparison.Ordinal));
        using var root = Client(address, RootSecret);
        var listed = await root.ListWorkersAsync(includeDeparted: true);
        Assert.Equal(["good"], listed.Select(w => w.WorkerId));
        using var alice = Client(address, AliceSecret);
        Assert.Equal(["good"], (await alice.ListWorkersAsync()).Select(w => w.WorkerId));
    }

    [Fact]
    public async Task Jobs_ClientCannotSeeOrCancelAnothersJob_AdminCan()
    {
        var (launcher, address) = await StartCoordinatorAsync();
        await StartWorkerAsync(launcher, address, "w", WorkerSecret);
        using var alice = Client(address, AliceSecret);
        using var bob = Client(address, BobSecret);
        using var root = Client(address, RootSecret);

        var job = await alice.SubmitAsync(Spec("sleep", ("ms", 60_000L)));

        Assert.Equal("alice", job.Owner);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<ClusterException>(() => bob.GetJobAsync(job.JobId))).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<ClusterException>(() => bob.CancelAsync(job.JobId))).StatusCode);
        Assert.Empty(await bob.ListJobsAsync());
        Assert.Equal([job.JobId], (await alice.ListJobsAsync()).Select(j => j.JobId));
        Assert.Equal("alice", (await root.GetJobAsync(job.JobId)).Owner);
        Assert.Equal(JobState.Cancelled, (await root.CancelAsync(job.JobId)).State);
    }

    [Fact]
    public async Task Revoke_FileRewrittenAndSighup_ClosesTheOpenWatchAndRefusesNewCalls()
    {
        var (launcher, address) = await StartCoordinatorAsync();
        await StartWorkerAsync(launcher, address, "w", WorkerSecret);
        using var alice = Client(address, AliceSecret);
        var job = await alice.SubmitAsync(Spec("sleep", ("ms", 60_000L)));
        using var channel = GrpcChannel.ForAddress(address);
        var jobs = new JobService.JobServiceClient(channel);
        using var watch = jobs.WatchJob(new WatchJobRequest { JobId = job.JobId }, [new Metadata.Entry("authorization", "Bearer " + AliceSecret)]);
        using (var first = new CancellationTokenSource(Bound))
        {
            Assert.True(await watch.ResponseStream.MoveNext(first.Token));
        }

        await File.WriteAllTextAsync(TokensPath, $"w:worker:{WorkerSecret}\nroot:admin:{RootSecret}\n");
        Assert.True(_processes[0].Signal(SigHup));

        using var rest = new CancellationTokenSource(Bound);
        var closed = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await watch.ResponseStream.MoveNext(rest.Token))
            {
            }
        });
        Assert.Equal(StatusCode.Unauthenticated, closed.StatusCode);
        Assert.Contains("revoked", closed.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<ClusterException>(() => alice.GetJobAsync(job.JobId))).StatusCode);
        using var root = Client(address, RootSecret);
        Assert.Contains((await root.GetJobAsync(job.JobId)).State, new[] { JobState.Pending, JobState.Running });
    }

    [Fact]
    public async Task Limits_TwoTokensBehindOneAddressAndOneTokenOnTwoConnections_QuotaPerTokenName()
    {
        var (launcher, address) = await StartCoordinatorAsync("--Coordinator:Limits:MaxWatchesPerClient=1");
        await StartWorkerAsync(launcher, address, "w", WorkerSecret);
        using var alice = Client(address, AliceSecret);
        using var bob = Client(address, BobSecret);
        var aliceJob = await alice.SubmitAsync(Spec("sleep", ("ms", 60_000L)));
        var bobJob = await bob.SubmitAsync(Spec("sleep", ("ms", 60_000L)));
        using var first = GrpcChannel.ForAddress(address);
        using var second = GrpcChannel.ForAddress(address);
        using var bound = new CancellationTokenSource(Bound);

        // Alice and Bob both call from 127.0.0.1 on one connection: each has a watch of their own.
        using var aliceWatch = Watch(first, AliceSecret, aliceJob.JobId, bound.Token);
        using var bobWatch = Watch(first, BobSecret, bobJob.JobId, bound.Token);
        Assert.True(await aliceWatch.ResponseStream.MoveNext(bound.Token));
        Assert.True(await bobWatch.ResponseStream.MoveNext(bound.Token));

        // Alice on a second connection is still Alice: her one watch is taken.
        using var again = Watch(second, AliceSecret, aliceJob.JobId, bound.Token);
        var refused = await Assert.ThrowsAsync<RpcException>(() => again.ResponseStream.MoveNext(bound.Token));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("concurrent watches per client: at most 1 (Coordinator:Limits:MaxWatchesPerClient)", refused.Status.Detail);
    }

    [Fact]
    public async Task ClientApi_WorkerToken_PermissionDeniedAndNothingSubmitted()
    {
        var (_, address) = await StartCoordinatorAsync();
        using var asWorker = Client(address, WorkerSecret);
        using var root = Client(address, RootSecret);

        var submit = await Assert.ThrowsAsync<ClusterException>(() => asWorker.SubmitAsync(Spec("noop")));
        var list = await Assert.ThrowsAsync<ClusterException>(() => asWorker.ListJobsAsync());

        Assert.Equal(StatusCode.PermissionDenied, submit.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, list.StatusCode);
        Assert.Empty(await root.ListJobsAsync());
    }

    [Fact]
    public async Task Coordinator_NonLoopbackAddressWithoutTokens_RefusesToStartNamingBothWaysOut()
    {
        // 192.0.2.1 (TEST-NET-1) is no address of this machine: even a coordinator that wrongly accepted the setting
        // could not listen off loopback here; it would fail to bind instead, with another message.
        var launcher = new ClusterLauncher(new LocalClusterOptions
        {
            CoordinatorCommand = Executables.Coordinator,
            WorkerCommand = Executables.Worker,
            CoordinatorArgs = ["--host", "192.0.2.1"],
            StartupTimeout = Bound,
        });
        var coordinator = Start(launcher.StartCoordinator(0));

        await coordinator.WaitForExitAsync().WaitAsync(Bound);

        Assert.Equal(2, coordinator.ExitCode);
        Assert.Contains(coordinator.Output, l => l.Contains("is not a loopback address", StringComparison.Ordinal) && l.Contains("--tokens FILE", StringComparison.Ordinal) && l.Contains("--insecure", StringComparison.Ordinal));
        Assert.DoesNotContain(coordinator.Output, l => l.StartsWith(Announcements.Listening, StringComparison.Ordinal));
    }

    private static AsyncServerStreamingCall<JobEvent> Watch(GrpcChannel channel, string secret, string jobId, CancellationToken cancellationToken) =>
        new JobService.JobServiceClient(channel).WatchJob(
            new WatchJobRequest { JobId = jobId },
            [new Metadata.Entry("authorization", "Bearer " + secret)],
            cancellationToken: cancellationToken);

    private static ClusterClient Client(Uri address, string secret) => new(address, new ClusterClientOptions { Token = secret });

    private async Task<(ClusterLauncher Launcher, Uri Address)> StartCoordinatorAsync(params string[] extraArgs)
    {
        await File.WriteAllTextAsync(TokensPath, $"w:worker:{WorkerSecret}\nalice:client:{AliceSecret}\nbob:client:{BobSecret}\nroot:admin:{RootSecret}\n");
        var launcher = new ClusterLauncher(new LocalClusterOptions
        {
            CoordinatorCommand = Executables.Coordinator,
            WorkerCommand = Executables.Worker,
            ThreadsPerWorker = 1,
            JobAssemblies = [Executables.TestKinds],
            CoordinatorArgs = ["--tokens", TokensPath, .. extraArgs],
            StartupTimeout = Bound,
        });
        var coordinator = Start(launcher.StartCoordinator(0));
        return (launcher, await launcher.WaitForAddressAsync(coordinator));
    }

    private async Task StartWorkerAsync(ClusterLauncher launcher, Uri address, string id, string secret)
    {
        var worker = Start(launcher.StartWorker(id, address, new Dictionary<string, string> { ["CLUSTER_TOKEN"] = secret }));
        await launcher.WaitForJoinAsync(worker);
    }

    private ClusterProcess Start(ClusterProcess process)
    {
        _processes.Add(process);
        return process;
    }
}
