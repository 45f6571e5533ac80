using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Cluster.Bundles;
using Cluster.Bundles.Format;
using Cluster.Bundles.Loading;
using Cluster.Bundles.Storage;
using Cluster.Contracts.V1;
using Cluster.Worker.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Cluster.Worker.Bundles;

/// <summary>
/// The worker's bundles: fetched from the coordinator on first use (the hash checked against the id), kept in an
/// on-disk cache across sessions and restarts, and loaded once per bundle for as long as a job of it is open here.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "Lives as long as the worker process; a SemaphoreSlim whose wait handle is never asked for holds nothing to free, and the cache folder's lock is meant to last until the process ends.")]
internal sealed partial class WorkerBundles
{
    private readonly BundleService.BundleServiceClient _client;
    private readonly BundleStore _store;
    private readonly BundleRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private readonly StoreDirectory? _claimed;

    public WorkerBundles(WorkerOptions options, BundleService.BundleServiceClient client, TimeProvider time, ILogger logger)
    {
        _client = client;
        _time = time;
        _logger = logger;
        _registry = new BundleRegistry(BundleCollectionLog.To(logger), time);
        _claimed = string.IsNullOrEmpty(options.BundleCache) ? StoreDirectory.Claim(WorkerOptions.DefaultBundleCache) : null;
        _store = new BundleStore(_claimed?.Path ?? options.BundleCache, options.BundleCacheBytes, time, _registry.IsLoaded);
        LogCache(_logger, _store.Directory, _store.Ids.Count);
    }

    /// <summary>Bundles fetched from the coordinator since start.</summary>
    public int Fetched { get; private set; }

    /// <summary>A job's use of bundle <paramref name="id"/>: from memory if loaded, else from the cache, else fetched.</summary>
    /// <exception cref="BundleException">It cannot be fetched or loaded; the message says why.</exception>
    public async Task<BundleLease> AcquireAsync(string id, CancellationToken cancellationToken)
    {
        if (!BundleIds.IsValid(id))
        {
            throw new BundleException($"bundle_id '{id}' is not a bundle id");
        }

        if (_registry.IsLoaded(id) || _store.Contains(id))
        {
            return _registry.Acquire(id, () => _store.TryRead(id) ?? throw new BundleException($"bundle {BundleIds.Short(id)} vanished from the cache at {_store.Directory}"));
        }

        // One fetch at a time: two jobs of one new bundle fetch it once.
        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var bytes = _store.TryRead(id) ?? await FetchAsync(id, cancellationToken).ConfigureAwait(false);
            return _registry.Acquire(id, () => bytes);
        }
        finally
        {
            _fetching.Release();
        }
    }

    private async Task<byte[]> FetchAsync(string id, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        using var buffer = new MemoryStream();
        try
        {
            using var call = _client.FetchBundle(new FetchBundleRequest { BundleId = id }, cancellationToken: cancellationToken);
            await foreach (var piece in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (piece.TotalBytes > _store.CapacityBytes)
                {
                    throw new BundleException($"bundle {BundleIds.Short(id)} is {piece.TotalBytes} bytes, more than this worker's cache holds (Worker:BundleCacheBytes = {_store.CapacityBytes})");
                }

                buffer.Write(piece.Data.Span);
            }
        }
        catch (RpcException ex)
        {
            throw new BundleException($"bundle {BundleIds.Short(id)} could not be fetched from the coordinator: {ex.Status.StatusCode}: {ex.Status.Detail}", ex);
        }

        var bytes = buffer.ToArray();
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (actual != id)
        {
            throw new BundleException($"bundle {BundleIds.Short(id)} fetched from the coordinator does not match its id: the bytes hash to {actual}");
        }

        _store.Add(id, bytes);
        Fetched++;
        var milliseconds = _time.GetElapsedTime(started).TotalMilliseconds;
        LogFetched(_logger, id, bytes.Length, milliseconds);
        return bytes;
    }

    [LoggerMessage(EventId = 6602, Level = LogLevel.Information, Message = "Bundle cache in {Folder} ({Count} bundles there already)")]
    private static partial void LogCache(ILogger logger, string folder, int count);

    [LoggerMessage(EventId = 6310, Level = LogLevel.Information, Message = "Bundle {BundleId} fetched from the coordinator: {Bytes} bytes in {Milliseconds:0} ms")]
    private static partial void LogFetched(ILogger logger, string bundleId, long bytes, double milliseconds);
}
