#if CLUSTER_CLIENT
namespace Cluster.Client.Bundles;
#else
namespace Cluster.Bundles.Format;
#endif

/// <summary>
/// A bundle's native libraries: the files of a build output's <c>runtimes/RID/native/</c> folders, kept in the bundle
/// under that same relative name (the only names with directories a bundle has).
/// </summary>
internal static class NativeEntries
{
    /// <summary>The folder of a build output that holds native libraries per runtime.</summary>
    public const string Root = "runtimes";

    /// <summary>Whether <paramref name="name"/> is <c>runtimes/RID/native/FILE</c>, each part a plain name.</summary>
    public static bool IsNative(string name)
    {
        var parts = name.Split('/');
        return parts is [Root, var rid, "native", var file] && Plain(rid) && Plain(file);
    }

    /// <summary>The bundle name of a native file at <paramref name="rid"/>/native/<paramref name="file"/>.</summary>
    public static string Name(string rid, string file) => $"{Root}/{rid}/native/{file}";

    private static bool Plain(string part) =>
        part.Length > 0 && part is not ("." or "..") && part.IndexOfAny(['/', '\\', '\0']) < 0;
}
