namespace Cluster.Tests.Deploy;

/// <summary>
/// No container engine or Kubernetes runs here, so the files in deploy/ are checked against the code instead: every
/// option, setting and environment variable they use must exist.
/// </summary>
public sealed class DeployFilesTests
{
    private static readonly string RepoRoot = FindRepoRoot();
    private static readonly CodeSurface Code = CodeSurface.Load(RepoRoot);

    [Fact]
    public void Check_EveryDeployFile_UsesOnlyOptionsSettingsAndVariablesOfTheCode()
    {
        var checker = new DeployFileChecker(Code);
        var problems = DeployFiles().SelectMany(f => checker.Check(Path.GetRelativePath(RepoRoot, f), File.ReadAllText(f))).ToList();

        Assert.True(problems.Count == 0, "deploy/ uses what the code does not have:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void DeployFolder_DockerKubernetesAndSystemd_AreAllThere()
    {
        var names = DeployFiles().Select(f => Path.GetRelativePath(Path.Combine(RepoRoot, "deploy"), f).Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("docker/Dockerfile", names);
        Assert.Contains("docker/compose.yaml", names);
        Assert.Contains("kubernetes/base/coordinator.yaml", names);
        Assert.Contains("kubernetes/base/worker.yaml", names);
        Assert.Contains("systemd/cluster-coordinator.service", names);
        Assert.Contains("systemd/coordinator.env.example", names);
        Assert.Contains("systemd/worker.env.example", names);
    }

    [Fact]
    public void Check_UnknownOptionSettingOrVariable_IsReported()
    {
        var checker = new DeployFileChecker(Code);
        const string Compose = """
            services:
              worker:
                command: ["worker", "--coordinator", "http://c:7400", "--no-such-option", "x", "--Worker:NoSuchKey=1"]
                environment:
                  CLUSTER_Coordinator__NoSuchSetting: "1"
                  CLUSTER_NO_SUCH_VARIABLE: "1"
            """;

        var problems = checker.Check("compose.yaml", Compose);

        Assert.Contains(problems, p => p.Contains("the worker has no option --no-such-option", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("no setting Worker:NoSuchKey", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("no setting Coordinator:NoSuchSetting", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("no environment variable CLUSTER_NO_SUCH_VARIABLE", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_CoordinatorOptionOnAWorker_IsReported()
    {
        var checker = new DeployFileChecker(Code);

        var problems = checker.Check("worker.service", "ExecStart=/usr/bin/dotnet /opt/cluster/worker/Cluster.Worker.dll --port 7400\n");

        Assert.Contains(problems, p => p.Contains("the worker has no option --port", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_TheCode_FindsTheExistingSwitchesSettingsAndVariables()
    {
        Assert.Contains("--host", Code.CoordinatorSwitches);
        Assert.Contains("--threads", Code.WorkerSwitches);
        Assert.Contains("--coordinator", Code.CliOptions);
        Assert.True(Code.HasSetting("Coordinator:Lease"));
        Assert.True(Code.HasSetting("worker:drainTimeout"));
        Assert.Contains("CLUSTER_COORDINATOR", Code.NamedVariables);
    }

    private static IEnumerable<string> DeployFiles() =>
        Directory.EnumerateFiles(Path.Combine(RepoRoot, "deploy"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cluster.sln not found above " + AppContext.BaseDirectory);
    }
}
