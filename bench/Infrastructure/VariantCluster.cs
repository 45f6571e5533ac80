using System.Diagnostics;
using Cluster.Client;
using Cluster.Client.Local;
using Cluster.Contracts.V1;
using Cluster.Processes;

namespace Cluster.Bench.Infrastructure;

/// <summary>How one variant of a cluster is secured, and which build it runs.</summary>
/// <param name="Name">Short name for the report (open, tokens, tls, mtls, baseline).</param>
/// <param name="Coordinator">The coordinator executable.</param>
/// <param name="Worker">The worker executable.</param>
/// <param name="CoordinatorArgs">Arguments on top of the launcher's (token file, TLS files).</param>
/// <param name="WorkerArgs">Arguments on top of the launcher's (CA, client certificate).</param>
/// <param name="WorkerToken">The workers' secret (in <c>CLUSTER_TOKEN</c>), or null for an open coordinator.</param>
/// <param name="ClientToken">The client's secret, or null for an open coordinator.</param>
/// <param name="CaCertificateFile">The CA the client trusts for an https:// coordinator, or null for plaintext.</param>
internal sealed record ClusterVariant(
    string Name,
    ProcessCommand Coordinator,
    ProcessCommand Worker,
    IReadOnlyList<string> CoordinatorArgs,
    IReadOnlyList<string> WorkerArgs,
    string? WorkerToken,
    string? ClientToken,
    string? CaCertificateFile);

/// <summary>
/// A coordinator and workers started as <see cref="ClusterVariant"/> says (real processes on loopback), with a client
/// that carries its token and trusts its CA. Disposing kills every process it started.
/// </summary>
internal sealed class VariantCluster : IAsyncDisposable
{
    private readonly List<ClusterProcess> _processes;

    private VariantCluster(ClusterVariant variant, List<ClusterProcess> processes, ClusterClient client)
    {
        Variant = variant;
        _processes = processes;
        Client = client;
    }

    public ClusterVariant Variant { get; }

    public ClusterClient Client { get; }

    /// <summary>The coordinator's and the workers' process ids, for their CPU time.</summary>
    public IReadOnlyList<int> Pids => [.. _processes.Select(p => p.Pid)];

    public static async Task<VariantCluster> StartAsync(ClusterVariant variant, int workers, int threads, CancellationToken cancellationToken)
    {
        var launcher = new ClusterLauncher(new LocalClusterOptions
        {
            CoordinatorCommand = variant.Coordinator,
            WorkerCommand = variant.Worker,
            ThreadsPerWorker = threads,
            CoordinatorArgs = variant.CoordinatorArgs,
            WorkerArgs = variant.WorkerArgs,
            WorkerEnvironment = variant.WorkerToken is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [BearerToken.EnvironmentVariable] = variant.WorkerToken },
            Tokens = false,
            StartupTimeout = TimeSpan.FromSeconds(60),
        });
        var processes = new List<ClusterProcess>();
        try
        {
            var coordinator = launcher.StartCoordinator(0);
            processes.Add(coordinator);
            var address = await launcher.WaitForAddressAsync(coordinator, cancellationToken);
            for (var i = 1; i <= workers; i++)
            {
                processes.Add(launcher.StartWorker($"{variant.Name}-w{i}", address));
            }

            foreach (var worker in processes.Skip(1))
            {
                await launcher.WaitForJoinAsync(worker, cancellationToken);
            }

            var client = new ClusterClient(address, new ClusterClientOptions
            {
                CallTimeout = TimeSpan.FromSeconds(60),
                Token = variant.ClientToken,
                CaCertificateFile = variant.CaCertificateFile,
            });
            return new VariantCluster(variant, processes, client);
        }
        catch
        {
            processes.ForEach(p => p.Dispose());
            throw;
        }
    }

    /// <summary>Submits a job and waits for its result, timed as a client sees it (upload included).</summary>
    /// <exception cref="InvalidOperationException">The job did not succeed.</exception>
    public async Task<BenchCluster.JobRun> RunAsync(JobSpec spec, Stream? input, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var submitted = await Client.SubmitAsync(spec, input, cancellationToken);
        var accepted = clock.Elapsed;
        var final = await Client.WaitForCompletionAsync(submitted.JobId, cancellationToken: cancellationToken);
        clock.Stop();
        return new BenchCluster.JobRun(BenchCluster.Succeeded(final), clock.Elapsed, accepted);
    }

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        _processes.ForEach(p => p.Dispose());
        return ValueTask.CompletedTask;
    }
}
