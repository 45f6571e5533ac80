using Cluster.Bundles;
using Cluster.Cli.Commands.Inspect;
using Cluster.Cli.Commands.Submit;
using Cluster.Cli.Common;
using Cluster.Client;
using Cluster.Client.Local;

namespace Cluster.Cli.Commands.Serve;

/// <summary>
/// <c>cluster local --jobs PATH</c>: each path shipped to the local cluster as a bundle once it runs, as to any other
/// cluster (one mechanism everywhere), so other terminals submit its kinds with <c>--coordinator</c> alone.
/// </summary>
internal static class LocalBundles
{
    /// <summary>A path to ship and the kinds it holds.</summary>
    public sealed record Shipped(string Path, IReadOnlyList<string> Kinds);

    /// <summary>Loads each path as the cluster will, before anything starts, so a bad one is refused with its reason.</summary>
    /// <exception cref="CliUsageException">A path is missing, or is not a usable bundle; the message says why.</exception>
    public static IReadOnlyList<Shipped> Check(IReadOnlyList<string> paths) => [.. paths.Select(path =>
    {
        try
        {
            return new Shipped(path, [.. JobBundles.Describe(path).Select(k => k.Name)]);
        }
        catch (Exception ex) when (ex is BundleException or IOException or InvalidDataException)
        {
            throw new CliUsageException($"--jobs {path}: {ex.Message}");
        }
    })];

    /// <summary>Uploads each path to <paramref name="cluster"/> (nothing is sent for a bundle it holds already).</summary>
    public static async Task ShipAsync(CliConsole console, LocalCluster cluster, IReadOnlyList<Shipped> shipped, CancellationToken cancellationToken)
    {
        if (shipped.Count == 0)
        {
            return;
        }

        using var client = ClientCommand.Connect(cluster.Address.ToString(), new ClusterClientOptions { Token = cluster.ClientToken });
        foreach (var (path, kinds) in shipped)
        {
            var upload = await client.UploadBundleAsync(path, cancellationToken);
            console.WriteNote($"Shipped {path} as bundle {upload.BundleId[..12]} ({upload.Size} bytes): {string.Join(", ", kinds)}.");
        }
    }
}
