using System.Runtime.CompilerServices;
using Cluster.Bundles;
using Cluster.Bundles.Loading;
using Cluster.Jobs.InProcess;

namespace Cluster.Tests.Bundles;

public sealed class BundleRegistryTests
{
    [Fact]
    public void Acquire_TwiceWhileInUse_LoadsOnceAndUnloadsAfterTheLastUse()
    {
        var registry = new BundleRegistry();
        var bundle = TestBundleFiles.Pack("Sum.V1");
        var reads = 0;
        byte[] Read()
        {
            reads++;
            return bundle.Bytes;
        }

        using var first = registry.Acquire(bundle.Id, Read);
        var second = registry.Acquire(bundle.Id, Read);

        Assert.Equal(1, reads);
        Assert.Same(first.Bundle, second.Bundle);
        second.Dispose();
        second.Dispose();
        Assert.True(registry.IsLoaded(bundle.Id));
        first.Dispose();
        Assert.False(registry.IsLoaded(bundle.Id));
        Assert.True(first.Bundle.IsUnloaded);
    }

    [Fact]
    public void Release_LastUseAfterAJob_LoadContextIsCollected()
    {
        var registry = new BundleRegistry();
        var context = RunAJobAndRelease(registry);

        for (var i = 0; i < 20 && context.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(context.IsAlive, "the bundle's load context was still alive after its last use ended and 20 collections");
        Assert.Equal(0, registry.LoadedCount);
    }

    [Fact]
    public async Task Release_LastUseWithACollectionReport_ReportsTheContextFreed()
    {
        var reported = new TaskCompletionSource<(string Id, int Alive)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registry = new BundleRegistry((id, alive) => reported.TrySetResult((id, alive)));
        var bundle = TestBundleFiles.Pack("Sum.V1");

        registry.Acquire(bundle.Id, () => bundle.Bytes).Dispose();
        var (id, alive) = await reported.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((bundle.Id, 0), (id, alive));
        Assert.Equal(0, registry.AliveAfterUnload(bundle.Id));
    }

    [Fact]
    public void Acquire_BrokenBundle_ThrowsAndKeepsNothing()
    {
        var registry = new BundleRegistry();
        var bundle = TestBundleFiles.Pack("Faulty.Duplicate");

        Assert.Throws<BundleException>(() => registry.Acquire(bundle.Id, () => bundle.Bytes));

        Assert.Equal(0, registry.LoadedCount);
    }

    // Kept out of line so no local of the caller's frame holds the bundle's types.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference RunAJobAndRelease(BundleRegistry registry)
    {
        var bundle = TestBundleFiles.Pack("Sum.V2");
        using var lease = registry.Acquire(bundle.Id, () => bundle.Bytes);
        var output = InProcessJobRunner.Run(
            lease.Bundle.GetKind("bundle-sum"),
            new Dictionary<string, object>(StringComparer.Ordinal) { ["n"] = 10L },
            options: new InProcessRunOptions { Threads = 1, Chunks = 3 });
        Assert.Contains("\"sum\":285", output.SummaryJson, StringComparison.Ordinal);
        return lease.Bundle.ContextReference();
    }
}
