using System.Diagnostics;
using Cluster.Client;
using Cluster.Client.Local;
using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.IntegrationTests.Transport;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.BuiltInKindTests;
using static Cluster.IntegrationTests.EndToEnd.SchedulingTests;

namespace Cluster.IntegrationTests.MultiHost;

/// <summary>
/// Three hosts on one machine (<see cref="NetnsHosts"/>): the coordinator on the bridge address with tokens and TLS,
/// a worker in each network namespace on its own address, the client in the root namespace. Traffic stays on the
/// addresses the test creates.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class MultiHostTests(ITestOutputHelper output) : IDisposable
{
    private const string WorkerSecret = "multihost-worker-secret-0123456789abcdef";
    private const string ClientSecret = "multihost-client-secret-0123456789abcdef";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    private readonly List<ClusterProcess> _processes = [];
    private readonly List<IDisposable> _resources = [];

    [MultiHostFact]
    public async Task Job_ThreeHostsWithTokensAndTls_RightResultAndWrongTokensRefused()
    {
        var (address, client) = await StartAsync();
        try
        {
            // A worker with a wrong token and one with a client's token: refused, they exit, and never appear.
            var wrong = StartWorker(2, "mh-wrong-token", "not-a-token-of-this-cluster");
            var asClient = StartWorker(2, "mh-client-token", ClientSecret);

            const long Chunks = 40;
            var job = await RunAsync(client, Chaos(Chunks, 20));
            Assert.Equal(SumOfSquares(Chunks), Json(job).GetProperty("sum").GetInt64());
            Assert.Equal(Chunks, job.ChunksDone);

            foreach (var (refused, status) in new[] { (wrong, "(Unauthenticated)"), (asClient, "(PermissionDenied)") })
            {
                await refused.WaitForExitAsync().WaitAsync(Bound);
                Assert.NotEqual(0, refused.ExitCode);
                Assert.Contains(refused.Output, l => l.Contains("refused this worker " + status, StringComparison.Ordinal));
                Assert.DoesNotContain(refused.Output, l => l.StartsWith("joined:", StringComparison.Ordinal));
            }

            var workers = await client.ListWorkersAsync(includeDeparted: true).WaitAsync(Bound);
            Assert.Equal(["mh-w1", "mh-w2"], workers.Select(w => w.WorkerId).Order(StringComparer.Ordinal).ToArray());
            Assert.All(workers, w => Assert.True(w.Completed > 0, $"{w.WorkerId} completed no chunk"));
            output.WriteLine($"coordinator {address}: job over TLS with tokens across namespaces, {Chunks} chunks; wrong token exit {wrong.ExitCode}, client token exit {asClient.ExitCode}");
        }
        finally
        {
            client.Dispose();
        }
    }

    [MultiHostFact]
    public async Task LinkCut_MidJob_JobRightCutWorkerDetectedWithinLeaseAndRejoins()
    {
        var (_, client) = await StartAsync();
        try
        {
            const long Chunks = 60;
            var submitted = await client.SubmitAsync(Chaos(Chunks, 150)).WaitAsync(Bound);
            await TestCluster.PollAsync(
                () => client.ListWorkersAsync(),
                ws => ws.Any(w => w.WorkerId == "mh-w1" && w.Completed >= 2 && w.InFlight > 0),
                Bound,
                "mh-w1 at work");

            // Packets vanish: the bridge port goes down, neither side gets a reset.
            var cut = Stopwatch.StartNew();
            Hosts.Cut(1);
            var departed = await TestCluster.PollAsync(
                () => client.ListWorkersAsync(includeDeparted: true),
                ws => ws.Any(w => w.WorkerId == "mh-w1" && w.Status == "departed"),
                Bound,
                "the cut worker to be declared gone");
            var detection = cut.Elapsed;
            output.WriteLine($"cut worker detected after {detection.TotalMilliseconds:0} ms (lease {Lease.TotalMilliseconds:0} ms): {departed.First(w => w.WorkerId == "mh-w1").DepartureReason}");
            Assert.True(detection < Lease + TimeSpan.FromSeconds(2), $"detected after {detection.TotalMilliseconds:0} ms, lease {Lease.TotalMilliseconds:0} ms");

            var done = await client.WaitForCompletionAsync(submitted.JobId).WaitAsync(Bound);
            Assert.Equal(SumOfSquares(Chunks), Json(done).GetProperty("sum").GetInt64());
            Assert.Equal(Chunks, done.ChunksDone);

            // The link back: the worker rejoins and takes chunks again.
            Hosts.Restore(1);
            var restored = Stopwatch.StartNew();
            await TestCluster.PollAsync(
                () => client.ListWorkersAsync(),
                ws => ws.Any(w => w.WorkerId == "mh-w1" && w.Status == "connected"),
                Bound,
                "the cut worker to rejoin");
            output.WriteLine($"rejoined {restored.Elapsed.TotalMilliseconds:0} ms after the link came back");
            var before = (await client.ListWorkersAsync().WaitAsync(Bound)).Single(w => w.WorkerId == "mh-w1").Completed;

            const long Again = 30;
            var second = await RunAsync(client, Chaos(Again, 50));
            Assert.Equal(SumOfSquares(Again), Json(second).GetProperty("sum").GetInt64());
            var after = (await client.ListWorkersAsync().WaitAsync(Bound)).Single(w => w.WorkerId == "mh-w1").Completed;
            Assert.True(after > before, $"the rejoined worker completed {after - before} chunks of the second job");
        }
        finally
        {
            client.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            output.WriteLine($"--- {process.Role} pid {process.Pid} (exited: {process.HasExited}, code {process.ExitCode})");
            foreach (var line in process.Output.TakeLast(15))
            {
                output.WriteLine(line);
            }

            process.Dispose();
        }

        // Namespaces and links last, once no process runs in them; then the certificates and token file.
        for (var i = _resources.Count - 1; i >= 0; i--)
        {
            _resources[i].Dispose();
        }
    }

    /// <summary>The independent answer: the sum of i*i over the chunk indices, added up one by one.</summary>
    private static long SumOfSquares(long chunks)
    {
        long sum = 0;
        for (long i = 0; i < chunks; i++)
        {
            sum += i * i;
        }

        return sum;
    }

    private static async Task<JobInfo> RunAsync(ClusterClient client, JobSpec spec)
    {
        var submitted = await client.SubmitAsync(spec).WaitAsync(Bound);
        return await client.WaitForCompletionAsync(submitted.JobId).WaitAsync(Bound);
    }

    private NetnsHosts Hosts { get; set; } = null!;

    private TestCertificates Certificates { get; set; } = null!;

    private Uri Address { get; set; } = null!;

    private string TokensFile { get; set; } = null!;

    private async Task<(Uri Address, ClusterClient Client)> StartAsync()
    {
        Certificates = await TestCertificates.CreateAsync(NetnsHosts.BridgeAddress);
        _resources.Add(Certificates);
        TokensFile = Path.Combine(Certificates.Directory, "tokens");
        await File.WriteAllTextAsync(TokensFile, $"mh-worker:worker:{WorkerSecret}\nmh-client:client:{ClientSecret}\n");
        Hosts = NetnsHosts.Create();
        _resources.Add(Hosts);

        var launcher = Launcher(
            Executables.Coordinator,
            ["--host", NetnsHosts.BridgeAddress, "--tokens", TokensFile, "--tls-cert", Certificates.ServerCert, "--tls-key", Certificates.ServerKey,
             "--Coordinator:Lease=00:00:02", "--Coordinator:HeartbeatInterval=00:00:00.500"]);
        var coordinator = Track(launcher.StartCoordinator(0));
        Address = await launcher.WaitForAddressAsync(coordinator).WaitAsync(Bound);
        Assert.Equal($"https://{NetnsHosts.BridgeAddress}", $"{Address.Scheme}://{Address.Host}");

        var w1 = StartWorker(1, "mh-w1", WorkerSecret);
        var w2 = StartWorker(2, "mh-w2", WorkerSecret);
        await Launcher(Executables.Worker, []).WaitForJoinAsync(w1).WaitAsync(Bound);
        await Launcher(Executables.Worker, []).WaitForJoinAsync(w2).WaitAsync(Bound);
        return (Address, new ClusterClient(Address, ClientOptions()));
    }

    /// <summary>A worker inside host <paramref name="n"/>'s namespace, its token in <c>CLUSTER_TOKEN</c>.</summary>
    private ClusterProcess StartWorker(int n, string id, string token)
    {
        var dotnet = Executables.Worker;
        var inNamespace = new ProcessCommand(NetnsHosts.Ip!, ["netns", "exec", NetnsHosts.Namespace(n), dotnet.FileName, .. dotnet.LeadingArgs]);
        var launcher = Launcher(inNamespace, ["--ca", Certificates.CaCert]);
        return Track(launcher.StartWorker(id, Address, new Dictionary<string, string> { ["CLUSTER_TOKEN"] = token }));
    }

    /// <summary>The client's options: the test CA and the client token.</summary>
    private ClusterClientOptions ClientOptions() => new() { CaCertificateFile = Certificates.CaCert, Token = ClientSecret };

    private ClusterProcess Track(ClusterProcess process)
    {
        _processes.Add(process);
        return process;
    }

    private static ClusterLauncher Launcher(ProcessCommand command, string[] args) => new(new LocalClusterOptions
    {
        CoordinatorCommand = command,
        WorkerCommand = command,
        ThreadsPerWorker = 1,
        CoordinatorArgs = args,
        WorkerArgs = args,
        JobAssemblies = [Executables.TestKinds],
        StartupTimeout = TimeSpan.FromSeconds(60),
    });
}
