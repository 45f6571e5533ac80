using System.Security.Cryptography;
using Cluster.Client;
using Cluster.Client.Local;
using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.BuiltInKindTests;

namespace Cluster.IntegrationTests.Transport;

/// <summary>
/// The real coordinator and workers over TLS and mutual TLS, with certificates the real <c>openssl</c> made; a
/// client that speaks the wrong transport gets one sentence.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class TlsTests(ITestOutputHelper output)
{
    private const long To = 1_000_000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [OpenSslFact]
    public async Task Job_OverTls_RightResult()
    {
        using var certificates = await TestCertificates.CreateAsync();
        var launcher = Launcher(
            ["--tls-cert", certificates.ServerCert, "--tls-key", certificates.ServerKey],
            ["--ca", certificates.CaCert]);
        using var coordinator = launcher.StartCoordinator(0);
        var address = await launcher.WaitForAddressAsync(coordinator).WaitAsync(Bound);
        Assert.Equal("https", address.Scheme);
        using var worker1 = launcher.StartWorker("tls-w1", address);
        using var worker2 = launcher.StartWorker("tls-w2", address);
        try
        {
            await launcher.WaitForJoinAsync(worker1).WaitAsync(Bound);
            await launcher.WaitForJoinAsync(worker2).WaitAsync(Bound);

            using var client = new ClusterClient(address, new ClusterClientOptions { CaCertificateFile = certificates.CaCert });
            Assert.Equal(CountBySieve(To), await CountPrimesAsync(client));
            await AssertSha256OverTlsAsync(client);

            // The same coordinator over plaintext, and without the CA: one sentence each, no stack trace.
            var plain = await CliProcess.RunAsync(Bound, "workers", "--coordinator", "http://" + address.Authority);
            Assert.Equal(3, plain.ExitCode);
            Assert.Equal($"error: The coordinator at http://{address.Authority} closed the connection at once, as one that serves TLS does: use an https:// address.", plain.Stderr.Trim());
            var untrusted = await CliProcess.RunAsync(Bound, "workers", "--coordinator", address.ToString());
            Assert.Equal(3, untrusted.ExitCode);
            Assert.StartsWith($"error: The coordinator at https://{address.Authority} presented a TLS certificate this client does not trust", untrusted.Stderr.Trim(), StringComparison.Ordinal);
            Assert.DoesNotContain("\n", untrusted.Stderr.Trim(), StringComparison.Ordinal);

            // The CLI with --ca lists both workers.
            var listed = await CliProcess.RunAsync(Bound, "workers", "--coordinator", address.ToString(), "--ca", certificates.CaCert, "--json");
            Assert.True(listed.ExitCode == 0, listed.Stderr);
            Assert.Contains("tls-w1", listed.Stdout, StringComparison.Ordinal);
            Assert.Contains("tls-w2", listed.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Dump(coordinator, worker1, worker2);
        }
    }

    [OpenSslFact]
    public async Task HttpsClient_PlaintextCoordinator_OneSentence()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 0);
        var https = "https://" + cluster.Cluster.Address.Authority;

        var result = await CliProcess.RunAsync(Bound, "workers", "--coordinator", https);

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith($"error: The coordinator at {https} does not speak TLS (", result.Stderr.Trim(), StringComparison.Ordinal);
        Assert.EndsWith("if it serves plaintext, use an http:// address.", result.Stderr.Trim(), StringComparison.Ordinal);
    }

    [OpenSslFact]
    public async Task Job_OverMutualTls_RightResultAndWorkerWithoutCertificateRefused()
    {
        using var certificates = await TestCertificates.CreateAsync();
        string[] coordinatorArgs = ["--tls-cert", certificates.ServerCert, "--tls-key", certificates.ServerKey, "--client-ca", certificates.CaCert];
        var launcher = Launcher(coordinatorArgs, ["--ca", certificates.CaCert, "--client-cert", certificates.ClientCert, "--client-key", certificates.ClientKey]);
        var withoutCertificate = Launcher(coordinatorArgs, ["--ca", certificates.CaCert]);
        using var coordinator = launcher.StartCoordinator(0);
        var address = await launcher.WaitForAddressAsync(coordinator).WaitAsync(Bound);
        using var worker = launcher.StartWorker("mtls-w1", address);
        using var refused = withoutCertificate.StartWorker("mtls-nocert", address);
        try
        {
            await launcher.WaitForJoinAsync(worker).WaitAsync(Bound);

            // Clients need no certificate by default (Coordinator:RequireClientCertificateForClients is false).
            using var client = new ClusterClient(address, new ClusterClientOptions { CaCertificateFile = certificates.CaCert });
            Assert.Equal(CountBySieve(To), await CountPrimesAsync(client));

            // The worker without a certificate is refused at join, says why, exits 2, and never appears.
            await refused.WaitForExitAsync().WaitAsync(Bound);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains(refused.Output, l => l.Contains("client certificate", StringComparison.Ordinal));
            Assert.DoesNotContain(refused.Output, l => l.StartsWith("joined:", StringComparison.Ordinal));
            var workers = await client.ListWorkersAsync();
            Assert.Equal(["mtls-w1"], workers.Select(w => w.WorkerId).ToArray());
        }
        finally
        {
            Dump(coordinator, worker, refused);
        }
    }

    [OpenSslFact]
    public async Task Client_WithoutCertificate_WhenRequiredForClients_OneSentence()
    {
        using var certificates = await TestCertificates.CreateAsync();
        var launcher = Launcher(
            ["--tls-cert", certificates.ServerCert, "--tls-key", certificates.ServerKey, "--client-ca", certificates.CaCert, "--Coordinator:RequireClientCertificateForClients=true"],
            []);
        using var coordinator = launcher.StartCoordinator(0);
        try
        {
            var address = (await launcher.WaitForAddressAsync(coordinator).WaitAsync(Bound)).ToString();

            var refused = await CliProcess.RunAsync(Bound, "workers", "--coordinator", address, "--ca", certificates.CaCert);
            var admitted = await CliProcess.RunAsync(Bound, "workers", "--coordinator", address, "--ca", certificates.CaCert, "--client-cert", certificates.ClientCert, "--client-key", certificates.ClientKey);

            Assert.Equal(3, refused.ExitCode);
            Assert.StartsWith($"error: The coordinator at {address.TrimEnd('/')} closed the TLS connection: it requires a client certificate", refused.Stderr.Trim(), StringComparison.Ordinal);
            Assert.True(admitted.ExitCode == 0, admitted.Stderr);
        }
        finally
        {
            Dump(coordinator);
        }
    }

    private static ClusterLauncher Launcher(string[] coordinatorArgs, string[] workerArgs) => new(new LocalClusterOptions
    {
        CoordinatorCommand = Executables.Coordinator,
        WorkerCommand = Executables.Worker,
        ThreadsPerWorker = 1,
        CoordinatorArgs = coordinatorArgs,
        WorkerArgs = workerArgs,
        StartupTimeout = TimeSpan.FromSeconds(60),
    });

    private static async Task<long> CountPrimesAsync(ClusterClient client)
    {
        var submitted = await client.SubmitAsync(Spec("primes", ("from", 0L), ("to", To))).WaitAsync(TestCluster.JobTimeout);
        var job = await client.WaitForCompletionAsync(submitted.JobId).WaitAsync(TestCluster.JobTimeout);
        Assert.Equal(JobState.Succeeded, job.State);
        return Json(job).GetProperty("count").GetInt64();
    }

    // Tens of MiB each way through the TLS streams (the upload in, the payloads out to the workers), in records that span
    // many pipe segments: each block's digest against one computed here.
    private static async Task AssertSha256OverTlsAsync(ClusterClient client)
    {
        const int Block = 1 << 20;
        var data = new byte[(24 << 20) + 4321];
        new Random(11).NextBytes(data);
        var submitted = await client.SubmitAsync(Spec("sha256", ("block-size", (long)Block)), new MemoryStream(data, writable: false)).WaitAsync(TestCluster.JobTimeout);
        var job = await client.WaitForCompletionAsync(submitted.JobId).WaitAsync(TestCluster.JobTimeout);
        Assert.Equal(JobState.Succeeded, job.State);
        var blocks = Json(job).GetProperty("blocks").EnumerateArray().Select(b => b.GetString() ?? string.Empty).ToList();
        var expected = Enumerable.Range(0, (data.Length + Block - 1) / Block)
            .Select(i => Convert.ToHexStringLower(SHA256.HashData(data.AsSpan(i * Block, Math.Min(Block, data.Length - (i * Block))))))
            .ToList();
        Assert.Equal(expected, blocks);
    }

    /// <summary>The independent answer: primes below <paramref name="to"/> by a sieve of Eratosthenes.</summary>
    private static long CountBySieve(long to)
    {
        var composite = new bool[to];
        long count = 0;
        for (long n = 2; n < to; n++)
        {
            if (composite[n])
            {
                continue;
            }

            count++;
            for (var m = n * n; m < to; m += n)
            {
                composite[m] = true;
            }
        }

        return count;
    }

    private void Dump(params ClusterProcess[] processes)
    {
        foreach (var process in processes)
        {
            output.WriteLine($"--- {process.Role} pid {process.Pid} (exited: {process.HasExited}, code {process.ExitCode})");
            foreach (var line in process.Output.TakeLast(20))
            {
                output.WriteLine(line);
            }
        }
    }
}
