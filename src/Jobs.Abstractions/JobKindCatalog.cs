using System.Reflection;

namespace Cluster.Jobs;

/// <summary>The job kinds a process knows, found by name. Built once at start-up from assemblies.</summary>
public sealed class JobKindCatalog
{
    private readonly Dictionary<string, IJobKind> _kinds;

    /// <summary>Creates a catalog of the given kinds.</summary>
    /// <exception cref="InvalidOperationException">Two kinds share a name.</exception>
    public JobKindCatalog(IEnumerable<IJobKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        _kinds = new Dictionary<string, IJobKind>(StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            if (!_kinds.TryAdd(kind.Name, kind))
            {
                throw new InvalidOperationException(
                    $"Two job kinds are named '{kind.Name}': {_kinds[kind.Name].GetType().FullName} and {kind.GetType().FullName}.");
            }
        }
    }

    /// <summary>Every kind, ordered by name.</summary>
    public IReadOnlyList<IJobKind> All => [.. _kinds.Values.OrderBy(k => k.Name, StringComparer.Ordinal)];

    /// <summary>Finds a kind by name.</summary>
    public bool TryGet(string name, out IJobKind kind) => _kinds.TryGetValue(name, out kind!);

    /// <summary>
    /// Instantiates every public, non-abstract <see cref="IJobKind"/> with a parameterless constructor in
    /// <paramref name="assemblies"/>.
    /// </summary>
    public static JobKindCatalog FromAssemblies(IEnumerable<Assembly> assemblies) =>
        new(assemblies
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IJobKind).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IJobKind)Activator.CreateInstance(t)!));

    /// <summary>
    /// Loads the assemblies at <paramref name="paths"/> (as given with <c>--jobs</c>) and returns them with
    /// <paramref name="builtIn"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">A path names no file.</exception>
    public static IReadOnlyList<Assembly> LoadAssemblies(Assembly builtIn, IEnumerable<string> paths)
    {
        var result = new List<Assembly> { builtIn };
        foreach (var path in paths.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            var full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                throw new FileNotFoundException($"The job assembly '{full}' does not exist.", full);
            }

            result.Add(System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(full));
        }

        return result;
    }
}
