namespace Cluster.Bundles.Loading;

/// <summary>
/// The bundles loaded in this process, one load context each, counted by the jobs using them: the first use loads a
/// bundle, the last one to end unloads it, so its memory is returned once no job uses it.
/// </summary>
public sealed class BundleRegistry
{
    private readonly Dictionary<string, (LoadedBundle Bundle, int Uses)> _loaded = new(StringComparer.Ordinal);

    /// <summary>Bundles loaded now.</summary>
    public int LoadedCount
    {
        get
        {
            lock (_loaded)
            {
                return _loaded.Count;
            }
        }
    }

    /// <summary>Whether bundle <paramref name="id"/> is loaded (some job uses it).</summary>
    public bool IsLoaded(string id)
    {
        lock (_loaded)
        {
            return _loaded.ContainsKey(id);
        }
    }

    /// <summary>A use of bundle <paramref name="id"/>, loading it from <paramref name="read"/>'s bytes when no job uses it yet.</summary>
    /// <exception cref="BundleException">The bundle cannot be loaded; nothing is kept.</exception>
    public BundleLease Acquire(string id, Func<byte[]> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_loaded)
        {
            if (_loaded.TryGetValue(id, out var entry))
            {
                _loaded[id] = (entry.Bundle, entry.Uses + 1);
                return new BundleLease(this, entry.Bundle);
            }

            var bundle = BundleLoader.Load(id, read());
            _loaded[id] = (bundle, 1);
            return new BundleLease(this, bundle);
        }
    }

    internal void Release(LoadedBundle bundle)
    {
        lock (_loaded)
        {
            if (!_loaded.TryGetValue(bundle.Id, out var entry) || !ReferenceEquals(entry.Bundle, bundle))
            {
                return;
            }

            if (entry.Uses > 1)
            {
                _loaded[bundle.Id] = (bundle, entry.Uses - 1);
                return;
            }

            _loaded.Remove(bundle.Id);
        }

        bundle.Unload();
    }
}

/// <summary>One job's use of a loaded bundle; disposing it ends the use (once).</summary>
public sealed class BundleLease : IDisposable
{
    private BundleRegistry? _registry;

    internal BundleLease(BundleRegistry registry, LoadedBundle bundle)
    {
        _registry = registry;
        Bundle = bundle;
    }

    /// <summary>The bundle.</summary>
    public LoadedBundle Bundle { get; }

    /// <summary>Ends the use; the bundle is unloaded when it was the last.</summary>
    public void Dispose() => Interlocked.Exchange(ref _registry, null)?.Release(Bundle);
}
