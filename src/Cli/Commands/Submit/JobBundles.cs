using Cluster.Bundles;
using Cluster.Bundles.Format;
using Cluster.Bundles.Loading;
using Cluster.Contracts.V1;
using Cluster.Jobs.BuiltIn;

namespace Cluster.Cli.Commands.Submit;

/// <summary>Which <c>--jobs</c> path holds a kind, so that path is shipped as the job's bundle.</summary>
internal static class JobBundles
{
    /// <summary>
    /// The path to ship for <paramref name="kind"/>: none for a built-in kind or without <c>--jobs</c>; the one path
    /// when one is given (the coordinator says what is wrong with it, if anything); else the first whose bundle loads and
    /// holds the kind.
    /// </summary>
    public static string? Holding(IReadOnlyList<string> paths, string kind)
    {
        if (paths.Count == 0 || BuiltInKinds.Catalog([]).TryGet(kind, out _))
        {
            return null;
        }

        return paths.Count == 1 ? paths[0] : paths.FirstOrDefault(p => Holds(p, kind)) ?? paths[0];
    }

    /// <summary>The kinds a job's assembly or build output folder holds, described after loading them as the cluster will, then unloaded.</summary>
    /// <exception cref="BundleException">The path is not a usable bundle.</exception>
    public static IReadOnlyList<KindInfo> Describe(string path)
    {
        var bytes = BundlePacker.Pack(path);
        var id = BundleIds.Of(bytes);
        var loaded = BundleLoader.Load(id, bytes);
        try
        {
            var kinds = LocalKinds.Describe(loaded.KindNames.Select(loaded.GetKind));
            foreach (var kind in kinds)
            {
                kind.BundleId = id;
            }

            return kinds;
        }
        finally
        {
            loaded.Unload();
        }
    }

    private static bool Holds(string path, string kind)
    {
        try
        {
            var bytes = BundlePacker.Pack(path);
            var loaded = BundleLoader.Load(BundleIds.Of(bytes), bytes);
            var holds = loaded.TryGetKind(kind, out _);
            loaded.Unload();
            return holds;
        }
        catch (Exception ex) when (ex is BundleException or IOException)
        {
            return false;
        }
    }
}
