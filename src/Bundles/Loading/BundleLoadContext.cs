using System.Reflection;
using System.Runtime.Loader;

namespace Cluster.Bundles.Loading;

/// <summary>
/// A bundle's own, collectible load context. The framework and the SDK (<c>Cluster.Jobs.Abstractions</c>) come from the
/// host, so <see cref="Cluster.Jobs.IJobKind"/> is one type everywhere; every other assembly the bundle carries is loaded
/// from the bundle, whatever version of it the host has; anything else falls back to the host. Native libraries the
/// bundle ships for this runtime (<c>runtimes/RID/native/</c>) are loaded from the bundle too.
/// </summary>
internal sealed class BundleLoadContext : AssemblyLoadContext
{
    private readonly IReadOnlyDictionary<string, byte[]> _assemblies;
    private readonly IReadOnlyDictionary<string, byte[]> _symbols;
    private readonly NativeLibraries _natives;
    private readonly Lock _loading = new();

    public BundleLoadContext(string name, IReadOnlyDictionary<string, byte[]> assemblies, IReadOnlyDictionary<string, byte[]> symbols, NativeLibraries natives)
        : base(name, isCollectible: true)
    {
        _assemblies = assemblies;
        _symbols = symbols;
        _natives = natives;
    }

    /// <summary>Whether an assembly of this simple name is always the host's: the SDK, and the framework's own.</summary>
    public static bool IsShared(string name) =>
        Format.BundlePacker.HostAssemblies.Contains(name)
        || File.Exists(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), name + ".dll"));

    /// <summary>Loads one of the bundle's assemblies (by simple name) into this context.</summary>
    public Assembly LoadOwn(string name)
    {
        // The context's own list, not a field of it: a context that held its assemblies would keep itself from being collected.
        lock (_loading)
        {
            return Assemblies.FirstOrDefault(a => string.Equals(a.GetName().Name, name, StringComparison.OrdinalIgnoreCase)) ?? LoadImage(name);
        }
    }

    private Assembly LoadImage(string name)
    {
        // Loaded from memory, not from a path: nothing on disk stays open, so the cache may evict the file at any time.
        using var image = new MemoryStream(_assemblies[name], writable: false);
        using var symbols = _symbols.TryGetValue(name, out var pdb) ? new MemoryStream(pdb, writable: false) : null;
        return LoadFromStream(image, symbols);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var name = assemblyName.Name;
        if (name is null || IsShared(name) || !_assemblies.ContainsKey(name))
        {
            return null;
        }

        return LoadOwn(name);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) => _natives.Load(unmanagedDllName, LoadUnmanagedDllFromPath);
}
