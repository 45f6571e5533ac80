using System.Reflection;
using Cluster.Bundles.Format;
using Cluster.Jobs;

namespace Cluster.Bundles.Loading;

/// <summary>
/// Checks a bundle and loads it: each file a .NET assembly for this runtime or older, every dependency in the bundle or
/// in the host, and its kinds constructed, one per name. Any failure is a <see cref="BundleException"/> that says which
/// file, type or dependency and what to do, before any of the job's code ran on a chunk.
/// </summary>
internal static class BundleLoader
{
    private static readonly Lazy<HashSet<string>> HostAssemblies = new(() => new HashSet<string>(
        ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>(),
        StringComparer.OrdinalIgnoreCase));

    public static LoadedBundle Load(string id, ReadOnlySpan<byte> bytes)
    {
        var label = $"bundle {BundleIds.Short(id)}";
        IReadOnlyList<BundleEntry> entries;
        try
        {
            entries = BundleFormat.Read(bytes);
        }
        catch (InvalidDataException ex)
        {
            throw new BundleException($"{label} {ex.Message}", ex);
        }

        var assemblies = new Dictionary<string, AssemblyFacts>(StringComparer.OrdinalIgnoreCase);
        var managed = entries.Where(e => !NativeEntries.IsNative(e.Name)).ToList();
        foreach (var entry in managed.Where(e => e.Name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)))
        {
            var facts = AssemblyFacts.Read(entry.Name, entry.Content)
                ?? throw new BundleException($"{label}: '{entry.Name}' is not a .NET assembly (native code, or not code at all); ship a job's build output");
            CheckRuntime(label, facts);
            assemblies[facts.Name.Name!] = facts;
        }

        var sdk = BundlePacker.HostAssemblies.First();
        var roots = assemblies.Values.Where(a => a.References.Any(r => string.Equals(r.Name, sdk, StringComparison.OrdinalIgnoreCase))).ToList();
        if (roots.Count == 0)
        {
            throw new BundleException($"{label} has no job kinds: none of its assemblies ({string.Join(", ", entries.Select(e => e.Name))}) references {sdk}");
        }

        CheckDependencies(label, roots, assemblies);
        var images = managed.Where(e => e.Name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(e => Path.GetFileNameWithoutExtension(e.Name), e => e.Content, StringComparer.OrdinalIgnoreCase);
        var symbols = managed.Where(e => e.Name.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(e => Path.GetFileNameWithoutExtension(e.Name), e => e.Content, StringComparer.OrdinalIgnoreCase);
        var natives = entries.Where(e => NativeEntries.IsNative(e.Name)).ToDictionary(e => e.Name, e => e.Content, StringComparer.Ordinal);
        var context = new BundleLoadContext(label, images, symbols, new NativeLibraries(id, natives));
        try
        {
            var kinds = FindKinds(label, context, roots);
            return new LoadedBundle(id, bytes.Length, context, kinds);
        }
        catch
        {
            context.Unload();
            throw;
        }
    }

    private static void CheckRuntime(string label, AssemblyFacts facts)
    {
        var runtime = Environment.Version;
        var target = facts.TargetRuntime
            ?? facts.References.FirstOrDefault(r => r.Name == "System.Runtime")?.Version;
        if (target is not null && target.Major > runtime.Major)
        {
            throw new BundleException(
                $"{label}: '{facts.FileName}' was built for .NET {target.Major}.{target.Minor}, newer than the .NET {runtime.Major}.{runtime.Minor} this cluster runs; build it for net{runtime.Major}.{runtime.Minor} or older");
        }
    }

    /// <summary>Every assembly the kinds' assemblies need, and what those need in turn, is in the bundle or in the host.</summary>
    private static void CheckDependencies(string label, List<AssemblyFacts> roots, Dictionary<string, AssemblyFacts> assemblies)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<AssemblyFacts>(roots);
        while (pending.TryPop(out var assembly))
        {
            if (!seen.Add(assembly.Name.Name!))
            {
                continue;
            }

            foreach (var reference in assembly.References)
            {
                var name = reference.Name!;
                if (BundleLoadContext.IsShared(name))
                {
                    continue;
                }

                if (assemblies.TryGetValue(name, out var own))
                {
                    pending.Push(own);
                }
                else if (!HostAssemblies.Value.Contains(name))
                {
                    throw new BundleException(
                        $"{label}: '{assembly.FileName}' needs '{reference.FullName}', which is neither in the bundle nor in this process; ship the job's whole build output folder");
                }
            }
        }
    }

    private static Dictionary<string, IJobKind> FindKinds(string label, BundleLoadContext context, List<AssemblyFacts> roots)
    {
        var kinds = new Dictionary<string, IJobKind>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            Type[] types;
            try
            {
                types = context.LoadOwn(root.Name.Name!).GetExportedTypes();
            }
            catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException or TypeLoadException or ReflectionTypeLoadException)
            {
                throw new BundleException($"{label}: '{root.FileName}' could not be loaded: {ex.Message}", ex);
            }

            foreach (var type in types.Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IJobKind).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null))
            {
                var kind = Construct(label, type);
                if (!kinds.TryAdd(kind.Name, kind))
                {
                    throw new BundleException($"{label} has two kinds named '{kind.Name}': {kinds[kind.Name].GetType().FullName} and {type.FullName}; kind names must be unique");
                }
            }
        }

        return kinds.Count > 0
            ? kinds
            : throw new BundleException($"{label} has no job kinds: no public, non-abstract IJobKind with a public parameterless constructor in {string.Join(", ", roots.Select(r => r.FileName))}");
    }

    private static IJobKind Construct(string label, Type type)
    {
        try
        {
            var kind = (IJobKind)Activator.CreateInstance(type)!;
            _ = kind.Name ?? throw new InvalidOperationException("Name is null");
            return kind;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var cause = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
            throw new BundleException($"{label}: constructing kind {type.FullName} threw {cause.GetType().FullName}: {cause.Message}", cause);
        }
    }
}
