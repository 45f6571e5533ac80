using Cluster.Coordinator.Bundles;
using Cluster.Tests.Bundles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace Cluster.Tests.Coordinator.Bundles;

public sealed class BundleKindsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Describe_TwoVersionsAndABrokenBundle_ListsEachVersionsKindsWithTheirBundleAndSkipsTheBroken()
    {
        var bundles = Bundles(new BundleOptions());
        var v1 = Hold(bundles, TestBundleFiles.Pack("Sum.V1"));
        var v2 = Hold(bundles, TestBundleFiles.Pack("Sum.V2"));
        Hold(bundles, TestBundleFiles.Pack("Faulty.Duplicate"));

        var kinds = new BundleKinds(bundles, NullLogger<BundleKinds>.Instance).Describe();

        var sums = kinds.Where(k => k.Name == "bundle-sum").ToList();
        Assert.Equal(new[] { v1, v2 }.Order(StringComparer.Ordinal), sums.Select(k => k.BundleId).Order(StringComparer.Ordinal));
        Assert.Contains("this is version 1", sums.Single(k => k.BundleId == v1).Description, StringComparison.Ordinal);
        Assert.Contains("this is version 2", sums.Single(k => k.BundleId == v2).Description, StringComparison.Ordinal);
        Assert.Equal(["chunk-ms", "n", "tag"], sums[0].Parameters.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(kinds, k => k.Name == "bundle-twin");
        Assert.All(kinds, k => Assert.Contains(k.BundleId, new[] { v1, v2 }));
        Assert.False(bundles.IsLoaded(v1), "describing a bundle kept it loaded");
    }

    [Fact]
    public void Describe_ShippingOffOrNotOnTheAllowList_ListsNothingOfThoseBundles()
    {
        var v1 = TestBundleFiles.Pack("Sum.V1");
        var off = Bundles(new BundleOptions { AcceptBundles = false });
        Hold(off, v1);
        var v2 = TestBundleFiles.Pack("Sum.V2");
        var listed = Bundles(new BundleOptions { AllowedBundles = v2.Id });
        Hold(listed, v1);
        Hold(listed, v2);

        var allowed = new BundleKinds(listed, NullLogger<BundleKinds>.Instance).Describe();

        Assert.Empty(new BundleKinds(off, NullLogger<BundleKinds>.Instance).Describe());
        Assert.Contains(allowed, k => k.Name == "bundle-sum");
        Assert.All(allowed, k => Assert.Equal(v2.Id, k.BundleId));
    }

    private CoordinatorBundles Bundles(BundleOptions options)
    {
        options.BundleDirectory = Path.Combine(_folder.Path, Guid.NewGuid().ToString("N"));
        return new CoordinatorBundles(OptionsFactory.Create(options), new FakeTimeProvider(), NullLogger<CoordinatorBundles>.Instance);
    }

    private static string Hold(CoordinatorBundles bundles, (string Id, byte[] Bytes) bundle)
    {
        bundles.Store.Add(bundle.Id, bundle.Bytes);
        return bundle.Id;
    }
}
