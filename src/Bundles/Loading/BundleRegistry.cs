namespace Cluster.Bundles.Loading;

/// <summary>
/// The bundles loaded in this process, one load context each, counted by the jobs using them: the first use loads a
/// bundle, the last one to end unloads it, so its memory is returned once no job uses it.
/// </summary>
public sealed class BundleRegistry
{
    private const int MaxCollections = 10;
    private readonly Dictionary<string, (LoadedBundle Bundle, int Uses)> _loaded = new(StringComparer.Ordinal);
    private readonly List<(string Id, WeakReference Context)> _unloading = [];
    private readonly Action<string, int>? _collected;
    private readonly TimeProvider _time;

    /// <summary>Creates an empty registry.</summary>
    /// <param name="collected">
    /// When given, each unload is followed, on a pool thread, by full collections (at most 10) until the runtime has
    /// freed the bundle's context, so its memory is returned at once rather than at some later collection; then it is
    /// called with the bundle's id and the number of its unloaded contexts still alive (0: all freed).
    /// </param>
    /// <param name="time">Spaces the collections (a thread may still be finishing with the bundle's objects). Default: the system clock.</param>
    public BundleRegistry(Action<string, int>? collected = null, TimeProvider? time = null)
    {
        _collected = collected;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Contexts of bundle <paramref name="id"/> unloaded but not yet freed by the runtime.</summary>
    public int AliveAfterUnload(string id)
    {
        lock (_unloading)
        {
            _unloading.RemoveAll(u => !u.Context.IsAlive);
            return _unloading.Count(u => u.Id == id);
        }
    }

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

        lock (_unloading)
        {
            _unloading.Add((bundle.Id, bundle.ContextReference()));
        }

        bundle.Unload();
        if (_collected is not null)
        {
            CollectInBackground(bundle.Id);
        }
    }

    // Apart from Release, so the closure holds the id only: one holding the bundle would keep its context alive.
    private void CollectInBackground(string id) => _ = Task.Run(async () => _collected!(id, await CollectAsync(id).ConfigureAwait(false)));

    private async Task<int> CollectAsync(string id)
    {
        var alive = AliveAfterUnload(id);
        for (var i = 0; i < MaxCollections && alive > 0; i++)
        {
            // 0, 50, 100, ... 450 ms apart (2.25 s in all): the threads that last ran the bundle's code get to move on.
            await Task.Delay(TimeSpan.FromMilliseconds(50 * i), _time).ConfigureAwait(false);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            alive = AliveAfterUnload(id);
        }

        return alive;
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
