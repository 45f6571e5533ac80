using System.Reflection;
using Cluster.Client;
using Cluster.Contracts.V1;
using Cluster.Jobs;

namespace Cluster.Cli.Commands.Submit;

/// <summary>The job kinds this CLI knows without asking a coordinator: the built-in ones and those of <c>--jobs</c> assemblies.</summary>
internal static class LocalKinds
{
    /// <summary>Name of the assembly of built-in kinds (referenced by this project, so it sits next to the CLI).</summary>
    public const string BuiltInAssemblyName = "Cluster.Jobs.BuiltIn";

    /// <exception cref="FileNotFoundException">A <c>--jobs</c> path names no file.</exception>
    public static IReadOnlyList<KindInfo> Load(IReadOnlyList<string> jobAssemblyPaths)
    {
        var builtIn = Assembly.Load(new AssemblyName(BuiltInAssemblyName));
        return Describe(JobKindCatalog.FromAssemblies(JobKindCatalog.LoadAssemblies(builtIn, jobAssemblyPaths)).All);
    }

    /// <summary>Describes kinds the way the coordinator's ListKinds does, so both sources build the same options.</summary>
    public static IReadOnlyList<KindInfo> Describe(IEnumerable<IJobKind> kinds) =>
        [.. kinds.Select(kind => new KindInfo
        {
            Name = kind.Name,
            Description = kind.Description,
            TakesInput = kind.TakesInput,
            Parameters = { kind.Parameters.Select(Describe) },
        })];

    private static Contracts.V1.ParameterInfo Describe(ParameterSpec spec) => new()
    {
        Name = spec.Name,
        Type = spec.Type switch
        {
            ParameterType.Int => ParameterValues.IntType,
            ParameterType.Double => ParameterValues.DoubleType,
            ParameterType.Bool => ParameterValues.BoolType,
            _ => ParameterValues.StringType,
        },
        Required = spec.Required,
        DefaultValue = spec.DefaultText,
        Description = spec.Description,
    };
}
