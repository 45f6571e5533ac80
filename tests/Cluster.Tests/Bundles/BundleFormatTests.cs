using Cluster.Bundles.Format;

namespace Cluster.Tests.Bundles;

public sealed class BundleFormatTests
{
    [Fact]
    public void Pack_SameFolderTwice_SameBytesAndId()
    {
        var first = TestBundleFiles.Pack("Sum.V1");
        var second = TestBundleFiles.Pack("Sum.V1");

        Assert.Equal(first.Bytes, second.Bytes);
        Assert.Equal(first.Id, second.Id);
        Assert.True(BundleIds.IsValid(first.Id));
        Assert.NotEqual(first.Id, TestBundleFiles.Pack("Sum.V2").Id);
    }

    [Fact]
    public void Pack_Folder_CarriesItsDependenciesButNotTheSdk()
    {
        var names = BundleFormat.Read(TestBundleFiles.Pack("Protobuf").Bytes).Select(e => e.Name).ToList();

        Assert.Contains("Cluster.TestBundles.Protobuf.dll", names);
        Assert.Contains("Google.Protobuf.dll", names);
        Assert.DoesNotContain(names, n => n.StartsWith("Cluster.Jobs.Abstractions", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.EndsWith(".json", StringComparison.Ordinal) || n.EndsWith(".xml", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_RoundTrip_GivesTheFilesBack()
    {
        byte[] a = [1, 2, 3];
        byte[] b = [];
        var bytes = BundleFormat.Write([new BundleEntry("b.pdb", b), new BundleEntry("a.dll", a)]);

        var entries = BundleFormat.Read(bytes);

        Assert.Equal(["a.dll", "b.pdb"], entries.Select(e => e.Name));
        Assert.Equal(a, entries[0].Content);
        Assert.Empty(entries[1].Content);
    }

    [Fact]
    public void Read_CutShort_SaysItIsDamaged()
    {
        var bytes = BundleFormat.Write([new BundleEntry("a.dll", new byte[100])]);

        var error = Assert.Throws<InvalidDataException>(() => BundleFormat.Read(bytes.AsSpan(0, bytes.Length - 1)));

        Assert.Equal("is damaged: file 'a.dll' is cut short", error.Message);
    }

    [Fact]
    public void Read_NotABundle_SaysSo()
    {
        var error = Assert.Throws<InvalidDataException>(() => BundleFormat.Read("MZ not a bundle"u8));

        Assert.StartsWith("is not in the bundle format", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NameWithADirectory_IsRefused()
    {
        var error = Assert.Throws<InvalidDataException>(() => BundleFormat.Write([new BundleEntry("../evil.dll", [1])]));

        Assert.Contains("without directories", error.Message, StringComparison.Ordinal);
    }
}
