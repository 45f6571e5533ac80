using Cluster.Contracts.V1;
using Cluster.Coordinator.Api;
using Cluster.Jobs;
using Cluster.Jobs.BuiltIn;

namespace Cluster.Cli.Commands.Submit;

/// <summary>The job kinds this CLI knows without asking a coordinator: the built-in ones and those of <c>--jobs</c> assemblies.</summary>
internal static class LocalKinds
{
    /// <remarks>A build output folder's kinds are loaded in their own context, as the cluster will load its bundle.</remarks>
    /// <exception cref="FileNotFoundException">A <c>--jobs</c> path names no file or folder.</exception>
    public static IReadOnlyList<KindInfo> Load(IReadOnlyList<string> jobAssemblyPaths)
    {
        var folders = jobAssemblyPaths.Where(Directory.Exists).ToList();
        return [.. Describe(BuiltInKinds.Catalog(jobAssemblyPaths.Except(folders)).All), .. folders.SelectMany(JobBundles.Describe)];
    }

    /// <summary>Describes kinds exactly as the coordinator's ListKinds does, so both sources build the same options.</summary>
    public static IReadOnlyList<KindInfo> Describe(IEnumerable<IJobKind> kinds) => [.. kinds.Select(KindDescriptions.Describe)];
}
