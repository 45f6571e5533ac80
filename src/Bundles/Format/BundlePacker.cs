#if CLUSTER_CLIENT
namespace Cluster.Client.Bundles;
#else
namespace Cluster.Bundles.Format;
#endif

/// <summary>
/// Packs a job's build output into a bundle: one assembly, or a folder's assemblies (its dependencies with it), their
/// symbols, and the native libraries of its <c>runtimes/RID/native/</c> folders. Other subfolders (satellite resources,
/// runtime-specific managed code) are left out.
/// </summary>
internal static class BundlePacker
{
    /// <summary>Files of these names are the host's own (the SDK): the host's copy is used, so they are not shipped.</summary>
    public static readonly IReadOnlySet<string> HostAssemblies = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Cluster.Jobs.Abstractions",
    };

    /// <summary>The bundle of <paramref name="path"/>, an assembly file or a build output folder.</summary>
    /// <exception cref="FileNotFoundException">Nothing is at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The folder holds no assembly.</exception>
    public static byte[] Pack(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return BundleFormat.Write([new BundleEntry(Path.GetFileName(full), File.ReadAllBytes(full))]);
        }

        if (!Directory.Exists(full))
        {
            throw new FileNotFoundException($"'{full}' is neither an assembly nor a folder.", full);
        }

        var files = Directory.EnumerateFiles(full)
            .Where(f => f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase))
            .Where(f => !HostAssemblies.Contains(Path.GetFileNameWithoutExtension(f)))
            .Select(f => new BundleEntry(Path.GetFileName(f), File.ReadAllBytes(f)))
            .Concat(Natives(full))
            .ToList();
        return files.Any(f => f.Name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !NativeEntries.IsNative(f.Name))
            ? BundleFormat.Write(files)
            : throw new InvalidDataException($"A bundle cannot be made from '{full}': the folder holds no .dll");
    }

    private static IEnumerable<BundleEntry> Natives(string folder)
    {
        var runtimes = new DirectoryInfo(Path.Combine(folder, NativeEntries.Root));
        if (!runtimes.Exists)
        {
            return [];
        }

        return runtimes.EnumerateDirectories()
            .Select(rid => (Rid: rid.Name, Native: new DirectoryInfo(Path.Combine(rid.FullName, "native"))))
            .Where(r => r.Native.Exists)
            .SelectMany(r => r.Native.EnumerateFiles().Select(f => new BundleEntry(NativeEntries.Name(r.Rid, f.Name), File.ReadAllBytes(f.FullName))));
    }
}
