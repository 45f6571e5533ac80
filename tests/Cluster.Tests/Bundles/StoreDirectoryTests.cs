using Cluster.Bundles.Storage;

namespace Cluster.Tests.Bundles;

public sealed class StoreDirectoryTests
{
    [Fact]
    public void Claim_WhileAnotherHoldsTheFolder_TakesTheNextNumberedOneAndTheFirstAgainOnceFreed()
    {
        using var folder = new TempFolder();
        var store = Path.Combine(folder.Path, "worker");

        var first = StoreDirectory.Claim(store);
        using var second = StoreDirectory.Claim(store);
        using var third = StoreDirectory.Claim(store);
        first.Dispose();
        using var again = StoreDirectory.Claim(store);

        Assert.Equal([store, store + "-2", store + "-3", store], [first.Path, second.Path, third.Path, again.Path]);
        Assert.True(Directory.Exists(store + "-3"));
    }

    [Fact]
    public void Claim_EveryFolderHeld_SaysSoAndWhatToDo()
    {
        using var folder = new TempFolder();
        var store = Path.Combine(folder.Path, "coordinator");
        var held = Enumerable.Range(0, StoreDirectory.MaxInstances).Select(_ => StoreDirectory.Claim(store)).ToList();
        try
        {
            var error = Assert.Throws<IOException>(() => StoreDirectory.Claim(store));

            Assert.Equal(store + "-" + StoreDirectory.MaxInstances, held[^1].Path);
            Assert.Contains("are all held by other running processes; set a folder of this process's own", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            held.ForEach(h => h.Dispose());
        }
    }
}
