using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using Cluster.IntegrationTests.Infrastructure;

namespace Cluster.IntegrationTests.Packaging;

/// <summary>
/// <c>dotnet pack</c> of the libraries a user references (the job SDK and the client, with what the client depends on)
/// gives NuGet packages a feed can serve: metadata, README, the LICENSE text beside the MIT expression, XML docs and symbols, and dependencies that are packed too.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class PackageTests : IDisposable
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(4);

    private readonly DirectoryInfo _feed = Directory.CreateTempSubdirectory("cluster-pack-");

    [Fact]
    public async Task Pack_SdkAndClient_PackagesCarryMetadataReadmeDocsAndSymbols()
    {
        foreach (var project in new[] { "src/Jobs.Abstractions", "src/Client", "src/Contracts", "src/Processes" })
        {
            var (code, output) = await DotnetCli.RunAsync(
                DotnetCli.Root,
                PackTimeout,
                ["pack", project, "-c", Executables.Configuration, "--no-build", "-p:PackageOutputPath=" + _feed.FullName + "/"]);
            Assert.True(code == 0, $"dotnet pack {project} exited with {code}:\n{output}");
        }

        var sdk = Package("Cluster.Jobs.Abstractions", "T:Cluster.Jobs.IJobKind");
        var client = Package("Cluster.Client", "T:Cluster.Client.ClusterClient");
        Package("Cluster.Contracts", "T:Cluster.Contracts.V1.JobService");
        Package("Cluster.Processes", "T:Cluster.Processes.BearerToken");

        Assert.Equal(sdk.Version, client.Version);
        var dependencies = client.Metadata.Descendants(client.Nuspec + "dependency").ToDictionary(d => (string)d.Attribute("id")!, d => (string)d.Attribute("version")!);
        Assert.Equal(client.Version, dependencies["Cluster.Contracts"]);
        Assert.Equal(client.Version, dependencies["Cluster.Processes"]);
        Assert.Equal(client.Version, dependencies["Cluster.Jobs.Abstractions"]);
        Assert.Contains("Polly.Core", dependencies.Keys);
        Assert.Contains("Grpc.Net.Client", dependencies.Keys);
        Assert.DoesNotContain("Grpc.Tools", dependencies.Keys);
    }

    public void Dispose() => _feed.Delete(recursive: true);

    /// <summary>Checks one package and its symbol package in the feed; returns its nuspec metadata and version.</summary>
    private (XElement Metadata, XNamespace Nuspec, string Version) Package(string id, string documentedMember)
    {
        var nupkg = Assert.Single(_feed.GetFiles(id + ".*.nupkg"), f => IsVersionOf(f.Name, id, ".nupkg"));
        var version = nupkg.Name[(id.Length + 1)..^".nupkg".Length];
        using var archive = ZipFile.OpenRead(nupkg.FullName);

        // NuGet writes the oldest nuspec schema that holds what the package uses, so its namespace varies.
        var root = XDocument.Load(archive.GetEntry(id + ".nuspec")!.Open()).Root!;
        var nuspec = root.Name.Namespace;
        var metadata = root.Element(nuspec + "metadata")!;
        Assert.Equal(id, (string?)metadata.Element(nuspec + "id"));
        Assert.Equal(version, (string?)metadata.Element(nuspec + "version"));
        Assert.Matches(@"^\d+\.\d+\.\d+", version);
        Assert.True(((string?)metadata.Element(nuspec + "description"))?.Length > 40, $"{id}: the description is missing or a stub.");
        Assert.False(string.IsNullOrWhiteSpace((string?)metadata.Element(nuspec + "authors")), $"{id}: no authors.");
        var license = metadata.Element(nuspec + "license")!;
        Assert.Equal("expression", (string?)license.Attribute("type"));
        Assert.Equal("MIT", license.Value);

        Assert.Equal("README.md", (string?)metadata.Element(nuspec + "readme"));
        using (var readme = new StreamReader(archive.GetEntry("README.md")!.Open()))
        {
            Assert.Equal("# " + id, readme.ReadLine());
        }

        using (var licenseText = new StreamReader(archive.GetEntry("LICENSE")!.Open()))
        {
            Assert.Equal(File.ReadAllText(Path.Combine(Executables.Root, "LICENSE")), licenseText.ReadToEnd());
        }

        var assembly = archive.GetEntry($"lib/net10.0/{id}.dll");
        Assert.NotNull(assembly);
        var docs = XDocument.Load(archive.GetEntry($"lib/net10.0/{id}.xml")!.Open());
        Assert.Contains(docs.Descendants("member"), m => (string?)m.Attribute("name") == documentedMember && m.Element("summary")?.Value.Trim().Length > 0);

        var extracted = Path.Combine(_feed.FullName, id + ".dll");
        assembly.ExtractToFile(extracted);
        Assert.StartsWith(version, FileVersionInfo.GetVersionInfo(extracted).ProductVersion, StringComparison.Ordinal);

        using var symbols = ZipFile.OpenRead(Path.ChangeExtension(nupkg.FullName, ".snupkg"));
        Assert.NotNull(symbols.GetEntry($"lib/net10.0/{id}.pdb"));
        return (metadata, nuspec, version);
    }

    /// <summary>Whether <paramref name="file"/> is ID.VERSION.EXT and not a longer id that starts the same (Cluster.Client vs Cluster.Client.X).</summary>
    private static bool IsVersionOf(string file, string id, string extension) =>
        file.Length > id.Length + 1 + extension.Length && char.IsAsciiDigit(file[id.Length + 1]);
}
