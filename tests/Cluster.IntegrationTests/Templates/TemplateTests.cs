using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.Processes;

namespace Cluster.IntegrationTests.Templates;

/// <summary>
/// The <c>clusterjob</c> template as a user meets it: installed from its package, a project created, built against the
/// SDK package packed from this tree (a nuget.config naming the local feed for Cluster.* and the usual feed, answered
/// from the local package cache, for xunit), its own test run, and its kind run on an embedded cluster and shipped to a
/// running one (<c>cluster local</c>), as the README's "Write your own job" walks through it.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class TemplateTests : IDisposable
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(6);

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("cluster-template-");

    // A version no earlier run used, so the package cache cannot answer with a stale build of the SDK.
    private readonly string _version = "0.1.0-t" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    [Fact]
    public async Task ClusterJobTemplate_NewProject_BuildsAgainstPackedSdkPassesItsTestAndRunsOnEmbeddedCluster()
    {
        var feed = Path.Combine(_work.FullName, "feed");
        await DotnetAsync(Executables.Root, "pack", "src/Jobs.Abstractions", "-c", Executables.Configuration, "--no-build", "-p:Version=" + _version, "-p:PackageOutputPath=" + feed + "/");
        await DotnetAsync(Executables.Root, "pack", "templates/Templates.csproj", "-c", Executables.Configuration, "-p:Version=" + _version, "-p:PackageOutputPath=" + feed + "/");
        var hive = Path.Combine(_work.FullName, "hive");
        await DotnetAsync(_work.FullName, "new", "install", Path.Combine(feed, $"Cluster.Templates.{_version}.nupkg"), "--debug:custom-hive", hive);
        var project = Path.Combine(_work.FullName, "src", "SquaresJob");
        await DotnetAsync(_work.FullName, "new", "clusterjob", "-n", "SquaresJob", "-o", project, "--sdk-version", _version, "--debug:custom-hive", hive);
        await File.WriteAllTextAsync(Path.Combine(_work.FullName, "src", "nuget.config"), NuGetConfig(feed));

        var test = await DotnetAsync(project, "test", "SquaresJob.slnx");
        Assert.Contains("Passed!  - Failed:     0, Passed:     1", test, StringComparison.Ordinal);
        var reference = XDocument.Load(Path.Combine(project, "SquaresJob", "SquaresJob.csproj")).Descendants("PackageReference").Single();
        Assert.Equal(_version, (string?)reference.Attribute("Version"));

        var assembly = Path.Combine(project, "SquaresJob", "bin", "Debug", "net10.0", "SquaresJob.dll");
        var (code, stdout, stderr) = await CliProcess.RunAsync(StepTimeout, "submit", "squaresjob", "--from", "0", "--to", "1000", "--jobs", assembly, "--json");
        Assert.True(code == 0, $"cluster submit exited with {code}: {stderr}");
        var result = JsonNode.Parse(stdout)!["result"]!;
        // The sum of i*i for i < n is (n-1)n(2n-1)/6.
        Assert.Equal(999L * 1000 * 1999 / 6, result["sum"]!.GetValue<long>());
        Assert.Equal(1000, result["numbers"]!.GetValue<long>());

        // The README's last steps: a running cluster (`cluster local`, as in another terminal) and the job shipped to it.
        var tokenFile = Path.Combine(_work.FullName, "client.token");
        using var local = CliProcess.Start("local", "--workers", "2", "--port", "0", "--token-out", tokenFile);
        var listening = await local.FirstStdoutLineAsync(StepTimeout);
        Assert.StartsWith(Announcements.Listening, listening, StringComparison.Ordinal);
        var address = listening[Announcements.Listening.Length..].Trim();
        (code, stdout, stderr) = await CliProcess.RunAsync(
            StepTimeout, "submit", "squaresjob", "--from", "0", "--to", "1000000", "--jobs", assembly, "--coordinator", address, "--token-file", tokenFile);
        Assert.True(code == 0, $"cluster submit --coordinator exited with {code}: {stderr}");
        // Without --json the result is printed alone: the sum of i*i for i < 10^6.
        Assert.Equal(999_999L * 1_000_000 * 1_999_999 / 6, JsonNode.Parse(stdout)!["sum"]!.GetValue<long>());
    }

    [Fact]
    public void TemplateJson_DefaultSdkVersion_IsTheVersionTheSdkIsPackedWith()
    {
        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(Executables.Root, "templates", "content", "clusterjob", ".template.config", "template.json")))!;
        var props = XDocument.Load(Path.Combine(Executables.Root, "Directory.Build.props"));

        Assert.Equal(props.Descendants("VersionPrefix").Single().Value, template["symbols"]!["sdkVersion"]!["defaultValue"]!.GetValue<string>());
    }

    public void Dispose()
    {
        _work.Delete(recursive: true);
        // The unique SDK version restored into the machine's package cache goes with the test.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var restored = new DirectoryInfo(Path.Combine(cache, "cluster.jobs.abstractions", _version));
        if (restored.Exists)
        {
            restored.Delete(recursive: true);
        }
    }

    private static string NuGetConfig(string feed) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="local" value="{feed}" />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="local"><package pattern="Cluster.*" /></packageSource>
            <packageSource key="nuget.org"><package pattern="*" /></packageSource>
          </packageSourceMapping>
        </configuration>
        """;

    private static async Task<string> DotnetAsync(string workingDirectory, params string[] args)
    {
        var (code, output) = await DotnetCli.RunAsync(workingDirectory, StepTimeout, args);
        Assert.True(code == 0, $"dotnet {string.Join(' ', args)} exited with {code}:\n{output}");
        return output;
    }
}
