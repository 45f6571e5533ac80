using Cluster.Contracts.V1;
using Cluster.Coordinator.Api;
using Cluster.Jobs;
using Cluster.Jobs.BuiltIn;

namespace Cluster.Cli.Commands.Submit;

/// <summary>The job kinds this CLI knows without asking a coordinator: the built-in ones and those of <c>--jobs</c> assemblies.</summary>
internal static class LocalKinds
{
    /// <exception cref="FileNotFoundException">A <c>--jobs</c> path names no file.</exception>
    public static IReadOnlyList<KindInfo> Load(IReadOnlyList<string> jobAssemblyPaths)
    {
        return Describe(BuiltInKinds.Catalog(jobAssemblyPaths).All);
    }

    /// <summary>Describes kinds exactly as the coordinator's ListKinds does, so both sources build the same options.</summary>
    public static IReadOnlyList<KindInfo> Describe(IEnumerable<IJobKind> kinds) => [.. kinds.Select(KindDescriptions.Describe)];
}
