using Cluster.Bundles;
using Cluster.Contracts.V1;
using Cluster.Jobs;
using Cluster.Tests.Bundles;
using Cluster.Tests.Hosting.Inputs;
using Cluster.Tests.Worker.Fakes;
using Cluster.Worker.Execution;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cluster.Tests.Worker.Bundles;

/// <summary>
/// A worker that fetches a bundle whose bytes do not hash to its id refuses it: nothing is cached or loaded, and the
/// job's chunks fail with the sentence (so the job fails by the poison-chunk rules: the coordinator serves the same bytes
/// to every worker, so a retry of the fetch would not help).
/// </summary>
public sealed class WorkerBundlesTests : IDisposable
{
    private readonly TempFolder _cache = new();

    public void Dispose() => _cache.Dispose();

    [Fact]
    public async Task AcquireAsync_FetchedBytesDoNotMatchTheId_RefusedWithASentenceAndNothingCached()
    {
        var (id, bytes) = TestBundleFiles.Pack("Sum.V1");
        var tampered = (byte[])bytes.Clone();
        tampered[^1] ^= 1;
        var coordinator = new FakeBundleServer(tampered);
        var bundles = coordinator.Bundles(_cache.Path);

        var error = await Assert.ThrowsAsync<BundleException>(() => bundles.AcquireAsync(id, CancellationToken.None));

        Assert.Equal(
            $"bundle {Cluster.Bundles.Format.BundleIds.Short(id)} fetched from the coordinator does not match its id: the bytes hash to {TestBundleFiles.WithId(tampered).Id}",
            error.Message);
        Assert.Equal(1, coordinator.Fetches);
        Assert.Empty(Directory.GetFiles(_cache.Path, "*.bundle"));
        Assert.Equal(0, bundles.Fetched);
    }

    [Fact]
    public async Task PrepareAsync_JobOfABundleWhoseBytesDoNotMatch_EveryChunkFailsWithTheSentence()
    {
        var (id, bytes) = TestBundleFiles.Pack("Sum.V1");
        var tampered = (byte[])bytes.Clone();
        tampered[^1] ^= 1;
        var cache = new ExecutorCache(new JobKindCatalog([]), new FakeBundleServer(tampered).Bundles(_cache.Path), TestHttpInput.Default, NullLogger.Instance);

        await cache.PrepareAsync(new JobDefinition { JobId = "j", Kind = "bundle-sum", BundleId = id }, CancellationToken.None);

        Assert.True(cache.TryGet("j", out var job));
        Assert.Null(job.Executor);
        Assert.Contains("fetched from the coordinator does not match its id", Assert.IsType<BundleException>(job.SetupError).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireAsync_RightBytes_CachedAndLoaded()
    {
        var (id, bytes) = TestBundleFiles.Pack("Sum.V1");
        var bundles = new FakeBundleServer(bytes).Bundles(_cache.Path);

        using var lease = await bundles.AcquireAsync(id, CancellationToken.None);

        Assert.True(lease.Bundle.TryGetKind("bundle-sum", out _));
        Assert.True(File.Exists(Path.Combine(_cache.Path, id + ".bundle")));
    }
}
