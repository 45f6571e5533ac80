using System.Diagnostics;
using System.Security.Cryptography;
using Cluster.Bench.Infrastructure;
using Cluster.Bench.Measurement;
using Cluster.Client;
using Cluster.Contracts.V1;

namespace Cluster.Bench.Workloads;

/// <summary>
/// Shipping code: a 5 MiB bundle (the bundle-sum test bundle with 5 MiB of random symbols beside it, so each run's
/// bundle is new to the cluster) timed from the start of its submission (ask, upload, submit) to the first chunk done,
/// with 2 workers that fetch it; then the same bundle again (nothing sent, workers load it from their cache); and a
/// built-in one-chunk job for comparison. One cluster for all, so the figures sit side by side.
/// </summary>
internal sealed class ShippingWorkload : IWorkload
{
    private const int PaddingBytes = 5 << 20;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private static readonly FigureSpec First = new("shipping.first", "shipping", "5 MiB bundle new to the cluster: submit (upload included) to first chunk done", "ms");
    private static readonly FigureSpec Second = new("shipping.second", "shipping", "Same bundle again: submit (nothing sent) to first chunk done", "ms");
    private static readonly FigureSpec BuiltIn = new("shipping.builtin", "shipping", "Built-in kind: submit to first chunk done", "ms");

    public string Name => "shipping";

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("cluster-bench-shipping-");
        try
        {
            await using var cluster = await context.StartClusterAsync(2, 1, cancellationToken, [$"--Coordinator:BundleDirectory={Path.Combine(root.FullName, "coordinator")}"]);
            foreach (var run in context.Runs)
            {
                var folder = PaddedBundle(context.Executables.SumBundle, Path.Combine(root.FullName, $"bundle-{run}"));
                var (first, sentFirst) = await ToFirstChunkAsync(cluster.Client, folder, cancellationToken);
                var (second, sentSecond) = await ToFirstChunkAsync(cluster.Client, folder, cancellationToken);
                var builtIn = await ToFirstChunkAsync(cluster.Client, NoopJobs.Spec(1), cancellationToken);
                context.Results.Add(First, first.TotalMilliseconds);
                context.Results.Add(Second, second.TotalMilliseconds);
                context.Results.Add(BuiltIn, builtIn.TotalMilliseconds);
                context.Note($"run {run}: first {first.TotalMilliseconds:0} ms ({sentFirst:N0} bytes sent), again {second.TotalMilliseconds:0} ms ({sentSecond:N0} bytes sent), built-in {builtIn.TotalMilliseconds:0} ms");
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static async Task<(TimeSpan Elapsed, long Sent)> ToFirstChunkAsync(ClusterClient client, string folder, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var upload = await client.UploadBundleAsync(folder, cancellationToken);
        var spec = new JobSpec { Kind = "bundle-sum", BundleId = upload.BundleId, Chunks = 2 };
        spec.Parameters["n"] = ParameterValue.FromClr(1000L);
        return (await FirstChunkAsync(client, spec, clock, cancellationToken), upload.SentBytes);
    }

    private static async Task<TimeSpan> ToFirstChunkAsync(ClusterClient client, JobSpec spec, CancellationToken cancellationToken) =>
        await FirstChunkAsync(client, spec, Stopwatch.StartNew(), cancellationToken);

    private static async Task<TimeSpan> FirstChunkAsync(ClusterClient client, JobSpec spec, Stopwatch clock, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var job = await client.SubmitAsync(spec, null, timeout.Token);
        await foreach (var e in client.WatchAsync(job.JobId, timeout.Token))
        {
            if (e.Job.ChunksDone >= 1)
            {
                var elapsed = clock.Elapsed;
                BenchCluster.Succeeded(await client.WaitForCompletionAsync(job.JobId, null, timeout.Token));
                return elapsed;
            }
        }

        throw new InvalidOperationException($"Job {job.JobId} ended without a chunk done.");
    }

    /// <summary>A copy of the bundle's build output with 5 MiB of fresh random bytes as an extra symbols file.</summary>
    private static string PaddedBundle(string source, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        File.WriteAllBytes(Path.Combine(folder, "Padding.pdb"), RandomNumberGenerator.GetBytes(PaddingBytes));
        return folder;
    }
}
