using System.Reflection;
using Cluster.Client.Local;

namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>Paths of the real executables, as built next to this test project by the same build.</summary>
internal static class Executables
{
    private static readonly Lazy<string> RootDirectory = new(FindRoot);

    public static string Configuration { get; } =
        typeof(Executables).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    public static ProcessCommand Coordinator => ProcessCommand.Dotnet(Output("src/Coordinator", "Cluster.Coordinator.dll"));

    public static ProcessCommand Worker => ProcessCommand.Dotnet(Output("src/Worker", "Cluster.Worker.dll"));

    public static string Cli => Output("src/Cli", "cluster.dll");

    public static string Bench => Output("bench", "cluster-bench.dll");

    /// <summary>The repository root (where Cluster.sln is).</summary>
    public static string Root => RootDirectory.Value;

    public static string OptionPricing => Output("examples/option-pricing/OptionPricing", "Cluster.Examples.OptionPricing.dll");

    public static string AccessLog => Output("examples/access-log/AccessLog", "Cluster.Examples.AccessLog.dll");

    public static string TestKinds => Output("tests/TestKinds", "Cluster.TestKinds.dll");

    /// <summary>The build output folder of test bundle project <paramref name="project"/> (tests/TestBundles/PROJECT), as a client ships it.</summary>
    public static string TestBundle(string project) => Path.GetDirectoryName(Output($"tests/TestBundles/{project}", project switch
    {
        "Sum.V1" or "Sum.V2" => "Cluster.TestBundles.Sum.dll",
        _ => $"Cluster.TestBundles.{project}.dll",
    }))!;

    private static string Output(string project, string file)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first: {path} is missing.", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Cluster.sln not found above " + AppContext.BaseDirectory);
    }
}
