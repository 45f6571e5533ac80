using System.Reflection;

namespace Cluster.Jobs.BuiltIn;

/// <summary>Locates the built-in job kinds.</summary>
public static class BuiltInKinds
{
    /// <summary>The assembly holding the built-in kinds, to pass to <see cref="JobKindCatalog.FromAssemblies"/>.</summary>
    public static Assembly Assembly => typeof(BuiltInKinds).Assembly;

    /// <summary>A catalog of the built-in kinds plus those in the assemblies at <paramref name="extraAssemblyPaths"/>.</summary>
    public static JobKindCatalog Catalog(IEnumerable<string> extraAssemblyPaths) =>
        JobKindCatalog.FromAssemblies(JobKindCatalog.LoadAssemblies(Assembly, extraAssemblyPaths));
}
