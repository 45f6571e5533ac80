using System.Text.Json;
using Cluster.Bundles.Format;
using Cluster.Bundles.Loading;
using Cluster.Jobs.InProcess;

namespace Cluster.Tests.Bundles;

public sealed class NativeLibrariesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [CcFact]
    public async Task Load_BundleShippingANativeLibraryForThisRuntime_ItsKindCallsItThroughTheLoadContext()
    {
        var output = await BuildOutputAsync(NativeLibraries.RuntimeIds()[^1]);
        var bundle = TestBundleFiles.WithId(BundlePacker.Pack(output));
        var registry = new BundleRegistry();

        using var lease = registry.Acquire(bundle.Id, () => bundle.Bytes);
        var result = InProcessJobRunner.Run(
            lease.Bundle.GetKind("bundle-native"),
            new Dictionary<string, object>(StringComparer.Ordinal) { ["count"] = 10L },
            options: new InProcessRunOptions { Threads = 2 });

        // The sum of the squares of 0..9, each squared by the bundle's native code.
        Assert.Equal(Enumerable.Range(0, 10).Sum(i => (long)i * i), JsonDocument.Parse(result.SummaryJson).RootElement.GetProperty("sum").GetInt64());
        Assert.Empty(Directory.GetDirectories(Path.GetTempPath(), $"cluster-bundle-{BundleIds.Short(bundle.Id)}-native-*"));
    }

    [CcFact]
    public async Task Pack_FolderWithRuntimes_KeepsNativeFilesUnderTheirRuntimeAndLeavesOtherSubfoldersOut()
    {
        var output = await BuildOutputAsync("linux-x64");
        Directory.CreateDirectory(Path.Combine(output, "runtimes", "linux-x64", "lib", "net10.0"));
        File.WriteAllText(Path.Combine(output, "runtimes", "linux-x64", "lib", "net10.0", "Managed.dll"), "not shipped");
        Directory.CreateDirectory(Path.Combine(output, "de"));
        File.WriteAllText(Path.Combine(output, "de", "Resources.dll"), "not shipped");

        var names = BundleFormat.Read(BundlePacker.Pack(output)).Select(e => e.Name).ToList();

        Assert.Contains("runtimes/linux-x64/native/libclustertestnative.so", names);
        Assert.Contains("Cluster.TestBundles.Native.dll", names);
        Assert.DoesNotContain(names, n => n.Contains("Managed", StringComparison.Ordinal) || n.Contains("Resources", StringComparison.Ordinal));
    }

    [CcFact]
    public async Task Load_NativeLibraryOnlyForAnotherRuntime_TheCallFailsNamingTheLibrary()
    {
        var bundle = TestBundleFiles.WithId(BundlePacker.Pack(await BuildOutputAsync("other-rid")));
        var registry = new BundleRegistry();

        using var lease = registry.Acquire(bundle.Id, () => bundle.Bytes);
        var error = Assert.ThrowsAny<Exception>(() => InProcessJobRunner.Run(
            lease.Bundle.GetKind("bundle-native"),
            new Dictionary<string, object>(StringComparer.Ordinal) { ["count"] = 1L },
            options: new InProcessRunOptions { Threads = 1 }));

        Assert.Contains("clustertestnative", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("runtimes/linux-x64/native/libx.so", true)]
    [InlineData("runtimes/linux-x64/lib/x.dll", false)]
    [InlineData("runtimes/../native/libx.so", false)]
    [InlineData("runtimes/linux-x64/native/../x.so", false)]
    [InlineData("other/linux-x64/native/libx.so", false)]
    [InlineData("runtimes/linux-x64/native/sub/libx.so", false)]
    public void IsNative_Name_OnlyRuntimesRidNativeFile(string name, bool native) => Assert.Equal(native, NativeEntries.IsNative(name));

    [Fact]
    public void Read_NameWithDirectoriesOutsideRuntimesNative_RefusedAsDamaged()
    {
        var bytes = BundleFormat.Write([new BundleEntry("a.dll", [1]), new BundleEntry("runtimes/linux-x64/native/libx.so", [2])]);
        var tampered = bytes.AsSpan().ToArray();
        var at = tampered.AsSpan().IndexOf("runtimes"u8);
        "../../.."u8.CopyTo(tampered.AsSpan(at));

        var error = Assert.Throws<InvalidDataException>(() => BundleFormat.Read(tampered));

        Assert.Equal(2, BundleFormat.Read(bytes).Count);
        Assert.Contains("bundle files are plain names, without directories, or native libraries as runtimes/RID/native/FILE", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A copy of the Native test bundle's build output, with the native library under runtimes/<paramref name="rid"/>/native.</summary>
    private async Task<string> BuildOutputAsync(string rid)
    {
        var output = Path.Combine(_folder.Path, "output");
        Directory.CreateDirectory(output);
        foreach (var file in Directory.GetFiles(TestBundleFiles.Folder("Native")))
        {
            File.Copy(file, Path.Combine(output, Path.GetFileName(file)));
        }

        var native = Path.Combine(output, "runtimes", rid, "native");
        Directory.CreateDirectory(native);
        var library = await NativeLibraryBuild.BuildAsync(_folder.Path);
        File.Copy(library, Path.Combine(native, Path.GetFileName(library)));
        return output;
    }
}
