using System.Runtime.InteropServices;
using Cluster.Bundles.Format;

namespace Cluster.Bundles.Loading;

/// <summary>
/// A bundle's native libraries (<c>runtimes/RID/native/FILE</c>), for its load context: the file for this machine's
/// runtime and the name a <c>DllImport</c> gives, written to a fresh temporary folder (the system loader needs a path),
/// loaded once per name, and the file deleted at once (a loaded library stays mapped, so nothing is left on disk).
/// </summary>
internal sealed class NativeLibraries(string bundleId, IReadOnlyDictionary<string, byte[]> files)
{
    private readonly Dictionary<string, IntPtr> _loaded = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The runtime identifiers this machine takes native files for, most specific first.</summary>
    public static IReadOnlyList<string> RuntimeIds()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var generic = $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
        return RuntimeInformation.RuntimeIdentifier == generic ? [generic] : [RuntimeInformation.RuntimeIdentifier, generic];
    }

    /// <summary>
    /// Loads library <paramref name="name"/> from the bundle through <paramref name="load"/> (the context's own
    /// <c>LoadUnmanagedDllFromPath</c>); <see cref="IntPtr.Zero"/> when the bundle has no file for it on this runtime,
    /// so the runtime looks for it as it would without a bundle.
    /// </summary>
    public IntPtr Load(string name, Func<string, IntPtr> load)
    {
        if (files.Count == 0)
        {
            return IntPtr.Zero;
        }

        lock (_gate)
        {
            if (_loaded.TryGetValue(name, out var handle))
            {
                return handle;
            }

            var found = RuntimeIds().SelectMany(rid => FileNames(name).Select(file => (File: file, Key: NativeEntries.Name(rid, file))))
                .FirstOrDefault(c => files.ContainsKey(c.Key));
            if (found.Key is null)
            {
                return IntPtr.Zero;
            }

            var folder = Directory.CreateTempSubdirectory($"cluster-bundle-{BundleIds.Short(bundleId)}-native-");
            var path = Path.Combine(folder.FullName, found.File);
            File.WriteAllBytes(path, files[found.Key]);
            try
            {
                handle = load(path);
            }
            finally
            {
                Remove(folder);
            }

            _loaded[name] = handle;
            return handle;
        }
    }

    /// <summary>The file names a library named <paramref name="name"/> may have on this system, as the runtime probes them.</summary>
    private static IEnumerable<string> FileNames(string name)
    {
        yield return name;
        if (OperatingSystem.IsWindows())
        {
            yield return name + ".dll";
        }
        else
        {
            var suffix = OperatingSystem.IsMacOS() ? ".dylib" : ".so";
            yield return "lib" + name + suffix;
            yield return name + suffix;
            yield return "lib" + name;
        }
    }

    private static void Remove(DirectoryInfo folder)
    {
        try
        {
            folder.Delete(recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Windows keeps a loaded library's file open: it stays in the temporary folder.
        }
    }
}
