using Cluster.Cli;
using Cluster.Cli.Commands.Serve;
using Cluster.Cli.Common;
using Cluster.Tests.Bundles;

namespace Cluster.Tests.Cli.Serve;

public sealed class LocalBundlesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Check_BuildOutputFolder_NamesTheKindsItShips()
    {
        var shipped = Assert.Single(LocalBundles.Check([TestBundleFiles.Folder("Sum.V1")]));

        Assert.Equal(["bundle-chunk-throws", "bundle-plan-throws", "bundle-sum"], shipped.Kinds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RunAsync_LocalWithAFileThatIsNoAssembly_UsageErrorWithTheReasonBeforeAnythingStarts()
    {
        var notes = Path.Combine(_folder.Path, "Notes.dll");
        await File.WriteAllTextAsync(notes, "these are notes, not code");
        var console = new TestConsole();

        var code = await CliApp.RunAsync(["local", "--port", "0", "--jobs", notes], console.Console);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"--jobs {notes}: ", console.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("'Notes.dll' is not a .NET assembly", console.Error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Listening", console.Out.ToString(), StringComparison.Ordinal);
    }
}
