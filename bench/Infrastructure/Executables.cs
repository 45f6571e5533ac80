using System.Reflection;
using Cluster.Client.Local;

namespace Cluster.Bench.Infrastructure;

/// <summary>
/// The real coordinator, worker and CLI, as built (in the bench's own configuration) by the same build: the bench
/// project references them without referencing their assemblies.
/// </summary>
internal sealed class Executables
{
    private readonly string _root;
    private readonly string _configuration;
    private readonly string? _installedWorker;
    private readonly bool _cliVerbs;

    private Executables(string root, string configuration, string? installedWorker = null, bool cliVerbs = false)
    {
        _root = root;
        _configuration = configuration;
        _installedWorker = installedWorker;
        _cliVerbs = cliVerbs;
    }

    /// <summary>The coordinator: the build output's, or the CLI's <c>coordinator</c> verb (see <see cref="AsEmbedded"/>).</summary>
    public ProcessCommand Coordinator => _cliVerbs
        ? new ProcessCommand(Output("src/Cli", "cluster"), ["coordinator"])
        : ProcessCommand.Dotnet(Output("src/Coordinator", "Cluster.Coordinator.dll"));

    /// <summary>
    /// The worker: the build output's, or <c>PATH worker</c> for the bench's own build when <c>CLUSTER_BENCH_WORKER_CLI</c>
    /// names an installed <c>cluster</c> executable (a ReadyToRun publish, for example), to measure a worker as installed.
    /// </summary>
    public ProcessCommand Worker => _installedWorker is { } cli
        ? new ProcessCommand(cli, ["worker"])
        : _cliVerbs
            ? new ProcessCommand(Output("src/Cli", "cluster"), ["worker"])
            : ProcessCommand.Dotnet(Output("src/Worker", "Cluster.Worker.dll"));

    /// <summary>
    /// The same build, started as <c>cluster submit</c> starts its embedded cluster: the CLI's apphost with the verbs
    /// <c>coordinator</c> and <c>worker</c> (its build output is ReadyToRun unless built with <c>CI=true</c>).
    /// </summary>
    public Executables AsEmbedded() => new(_root, _configuration, _installedWorker, cliVerbs: true);

    public string Cli => Output("src/Cli", "cluster.dll");

    /// <summary>The test-only kinds (tests/TestKinds), whose chaos kind counts every execution of a chunk in files.</summary>
    public string TestKinds => Output("tests/TestKinds", "Cluster.TestKinds.dll");

    /// <summary>The build output folder of the bundle-sum test bundle (tests/TestBundles/Sum.V1).</summary>
    public string SumBundle => Path.GetDirectoryName(Output("tests/TestBundles/Sum.V1", "Cluster.TestBundles.Sum.dll"))!;

    /// <summary>Finds the repository above the bench's own folder and checks every executable is there.</summary>
    /// <exception cref="FileNotFoundException">An executable has not been built.</exception>
    public static Executables Locate()
    {
        // Only here: a baseline build to compare with (LocateIn) keeps its own worker.
        var installed = Environment.GetEnvironmentVariable("CLUSTER_BENCH_WORKER_CLI") is { Length: > 0 } cli ? cli : null;
        if (installed is not null && !File.Exists(installed))
        {
            throw new FileNotFoundException($"CLUSTER_BENCH_WORKER_CLI names {installed}, which does not exist.", installed);
        }

        var executables = new Executables(FindRoot(), Configuration(), installed);
        _ = executables.Coordinator;
        _ = executables.Worker;
        _ = executables.Cli;
        return executables;
    }

    /// <summary>
    /// The coordinator and worker built (in the bench's configuration) in the repository at <paramref name="root"/>,
    /// for example another worktree to compare with.
    /// </summary>
    /// <exception cref="FileNotFoundException">One of them has not been built there.</exception>
    public static Executables LocateIn(string root)
    {
        var executables = new Executables(Path.GetFullPath(root), Configuration());
        _ = executables.Coordinator;
        _ = executables.Worker;
        return executables;
    }

    private string Output(string project, string file)
    {
        var path = Path.Combine(_root, project, "bin", _configuration, "net10.0", file);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: build the bench (it builds {project} too) in {_configuration}.", path);
    }

    private static string Configuration() =>
        typeof(Executables).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Cluster.sln not found above " + AppContext.BaseDirectory + "; run the bench from its build output.");
    }
}
