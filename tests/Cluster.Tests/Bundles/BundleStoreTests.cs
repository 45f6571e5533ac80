using Cluster.Bundles.Format;
using Cluster.Bundles.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Cluster.Tests.Bundles;

public sealed class BundleStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Add_PastTheCap_EvictsTheLeastRecentlyUsed()
    {
        using var folder = new TempFolder();
        var store = new BundleStore(folder.Path, 250, _time, _ => false);
        var (a, b, c) = (Bundle(1), Bundle(2), Bundle(3));
        Add(store, a);
        Add(store, b);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(store.TryRead(a.Id)); // a is now more recent than b

        Add(store, c);

        Assert.Equal(new[] { a.Id, c.Id }.Order(StringComparer.Ordinal), store.Ids.Order(StringComparer.Ordinal));
        Assert.False(store.Contains(b.Id));
        Assert.False(File.Exists(Path.Combine(folder.Path, b.Id + ".bundle")));
        Assert.True(store.TotalBytes <= 250);
    }

    [Fact]
    public void Add_PastTheCap_NeverEvictsABundleInUse()
    {
        using var folder = new TempFolder();
        var (a, b, c) = (Bundle(1), Bundle(2), Bundle(3));
        var store = new BundleStore(folder.Path, 250, _time, id => id == a.Id);
        Add(store, a);
        Add(store, b);

        Add(store, c);

        Assert.True(store.Contains(a.Id));
        Assert.False(store.Contains(b.Id));
        Assert.True(store.Contains(c.Id));
    }

    [Fact]
    public void Open_AnExistingFolder_FindsItsBundlesAndTheirOrder()
    {
        using var folder = new TempFolder();
        var (a, b, c) = (Bundle(1), Bundle(2), Bundle(3));
        var first = new BundleStore(folder.Path, 1000, _time, _ => false);
        Add(first, a);
        Add(first, b);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(first.Contains(a.Id));

        var reopened = new BundleStore(folder.Path, 250, _time, _ => false);
        Add(reopened, c);

        Assert.Equal(a.Bytes, reopened.TryRead(a.Id));
        Assert.Null(reopened.TryRead(b.Id));
    }

    [Fact]
    public void TryRead_UnknownOrInvalidId_IsNull()
    {
        using var folder = new TempFolder();
        var store = new BundleStore(folder.Path, 1000, _time, _ => false);

        Assert.Null(store.TryRead(new string('a', 64)));
        Assert.Null(store.TryRead("../../etc/passwd"));
    }

    private void Add(BundleStore store, (string Id, byte[] Bytes) bundle)
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        store.Add(bundle.Id, bundle.Bytes);
    }

    private static (string Id, byte[] Bytes) Bundle(byte fill)
    {
        var bytes = Enumerable.Repeat(fill, 100).ToArray();
        return (BundleIds.Of(bytes), bytes);
    }
}
