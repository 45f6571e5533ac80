using System.Diagnostics.CodeAnalysis;
using Cluster.Bundles.Format;
using Cluster.Jobs;

namespace Cluster.Bundles.Loading;

/// <summary>A bundle loaded in its own context, with the job kinds found in it by name.</summary>
public sealed class LoadedBundle
{
    private readonly WeakReference _contextReference;
    private BundleLoadContext? _context;
    private IReadOnlyDictionary<string, IJobKind> _kinds;

    internal LoadedBundle(string id, long size, BundleLoadContext context, IReadOnlyDictionary<string, IJobKind> kinds)
    {
        Id = id;
        Size = size;
        _context = context;
        _contextReference = new WeakReference(context);
        _kinds = kinds;
    }

    /// <summary>The bundle's SHA-256, in hexadecimal.</summary>
    public string Id { get; }

    /// <summary>The bundle's size in bytes.</summary>
    public long Size { get; }

    /// <summary>The names of the kinds it holds, ordered.</summary>
    public IReadOnlyList<string> KindNames => [.. _kinds.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Whether it was unloaded (no job uses it any longer).</summary>
    public bool IsUnloaded { get; private set; }

    /// <summary>The kind named <paramref name="name"/>.</summary>
    /// <exception cref="JobParameterException">The bundle has no such kind; the message names the ones it has.</exception>
    public IJobKind GetKind(string name) =>
        TryGetKind(name, out var kind)
            ? kind
            : throw new JobParameterException("kind", $"'{name}' is not a kind of bundle {BundleIds.Short(Id)} (its kinds: {string.Join(", ", KindNames)})");

    /// <summary>Finds a kind by name.</summary>
    public bool TryGetKind(string name, [MaybeNullWhen(false)] out IJobKind kind) => _kinds.TryGetValue(name, out kind);

    /// <summary>
    /// Makes the bundle's context the one that reflection by name (<c>Type.GetType</c>, serializers) resolves in, on this
    /// thread, until the scope is disposed.
    /// </summary>
    public System.Runtime.Loader.AssemblyLoadContext.ContextualReflectionScope EnterContextualReflection() =>
        (_context ?? throw new InvalidOperationException($"Bundle {Id} was unloaded.")).EnterContextualReflection();

    /// <summary>A weak reference to the load context, for checking that it was collected after <see cref="Unload"/>.</summary>
    internal WeakReference ContextReference() => _contextReference;

    /// <summary>Starts unloading the context; the runtime frees it once nothing refers to its types any longer.</summary>
    /// <remarks>
    /// Drops its own references to the context and the kinds, so whatever still holds this object (a finished job kept
    /// for status queries, a worker's last work item) does not keep the bundle's code alive.
    /// </remarks>
    internal void Unload()
    {
        IsUnloaded = true;
        _kinds = new Dictionary<string, IJobKind>();
        Interlocked.Exchange(ref _context, null)?.Unload();
    }
}
