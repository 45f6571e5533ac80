using System.Collections.Concurrent;
using System.Security.Cryptography;
using Cluster.Bundles;
using Cluster.Bundles.Format;
using Cluster.Bundles.Loading;
using Cluster.Bundles.Storage;
using Cluster.Coordinator.Journal;
using Cluster.Jobs;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Bundles;

/// <summary>
/// The coordinator's bundles: the operator's rules (on or off, allow-list, size), uploads checked against their id and
/// kept in the store, and loads for jobs (one load context per bundle, shared by its jobs and unloaded after the last).
/// </summary>
internal sealed partial class CoordinatorBundles : IDisposable
{
    private readonly StoreDirectory? _claimed;
    private readonly BundleOptions _options;
    private readonly IReadOnlySet<string> _allowed;
    private readonly BundleRegistry _registry;
    private readonly ConcurrentDictionary<string, BundleCounters> _counters = new(StringComparer.Ordinal);
    private readonly ILogger<CoordinatorBundles> _logger;

    public CoordinatorBundles(IOptions<BundleOptions> options, TimeProvider time, ILogger<CoordinatorBundles> logger)
    {
        _options = options.Value;
        _allowed = _options.ParsedAllowedBundles();
        _logger = logger;
        _registry = new BundleRegistry(BundleCollectionLog.To(logger), time);
        _claimed = string.IsNullOrEmpty(_options.BundleDirectory) ? StoreDirectory.Claim(BundleOptions.DefaultBundleDirectory) : null;
        Store = new BundleStore(_claimed?.Path ?? _options.BundleDirectory, _options.BundleStoreBytes, time, _registry.IsLoaded);
        LogStore(_logger, Store.Directory, Store.Ids.Count);
    }

    public BundleStore Store { get; }

    public long MaxBundleBytes => _options.MaxBundleBytes;

    /// <summary>What happened to each bundle since start: bytes received, uploads, jobs.</summary>
    public IReadOnlyDictionary<string, BundleCounters> Counters => _counters;

    public bool IsLoaded(string id) => _registry.IsLoaded(id);

    /// <summary>Load contexts of bundle <paramref name="id"/> unloaded and not yet freed by the runtime.</summary>
    public int AliveAfterUnload(string id) => _registry.AliveAfterUnload(id);

    /// <summary>Whether bundle <paramref name="id"/> may run here: shipping on, and the id on the allow-list if there is one.</summary>
    public bool IsAllowed(string id) => _options.AcceptBundles && (_allowed.Count == 0 || _allowed.Contains(id));

    /// <summary>Lets another coordinator take the default store folder.</summary>
    public void Dispose() => _claimed?.Dispose();

    /// <summary>Refuses a malformed id (InvalidArgument) or one the operator's settings do not allow (PermissionDenied).</summary>
    public void CheckAllowed(string id, string field)
    {
        if (!BundleIds.IsValid(id))
        {
            throw new JobParameterException(field, $"must be a bundle id: 64 lowercase hexadecimal characters, the SHA-256 of the bundle (got {id.Length} characters)");
        }

        if (!_options.AcceptBundles)
        {
            throw new BundleRefusedException($"{field}: this coordinator does not run shipped code (Coordinator:AcceptBundles is false)");
        }

        if (_allowed.Count > 0 && !_allowed.Contains(id))
        {
            throw new BundleRefusedException($"{field}: bundle {id} is not on this coordinator's allow-list (Coordinator:AllowedBundles)");
        }
    }

    /// <summary>Receives an upload: size within the limit, bytes hashing to <paramref name="id"/>; then keeps it.</summary>
    /// <returns>Bytes received.</returns>
    public async Task<long> ReceiveAsync(string id, long size, IAsyncEnumerable<ReadOnlyMemory<byte>> pieces, CancellationToken cancellationToken)
    {
        CheckAllowed(id, "header.bundle_id");
        if (size < 1 || size > _options.MaxBundleBytes)
        {
            throw new BundleTooLargeException($"header.size: a bundle must be between 1 byte and {_options.MaxBundleBytes} bytes (Coordinator:MaxBundleBytes); this one is {size}");
        }

        var temporary = Store.TemporaryPath();
        long received = 0;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            // Unbuffered, so every failed write surfaces at the write, none at the close.
            await using (var file = CreateFile(temporary))
            {
                await foreach (var piece in pieces.WithCancellation(cancellationToken))
                {
                    received += piece.Length;
                    if (received > size)
                    {
                        throw new BundleTooLargeException($"data: the upload carries more than the {size} bytes its header announced");
                    }

                    hash.AppendData(piece.Span);
                    await WriteAsync(file, piece, cancellationToken);
                }
            }

            if (received != size)
            {
                throw new JobParameterException("data", $"must add up to the header's size: {received} bytes came, the header announced {size}");
            }

            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (actual != id)
            {
                throw new JobParameterException("header.bundle_id", $"does not match the bytes sent: their SHA-256 is {actual}");
            }

            Store.AddFile(id, temporary);
            var counters = _counters.GetOrAdd(id, _ => new BundleCounters());
            counters.Received(received);
            LogUploaded(_logger, id, received);
            return received;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private FileStream CreateFile(string path)
    {
        try
        {
            return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: true);
        }
        catch (IOException ex)
        {
            throw Refused(ex);
        }
    }

    private async ValueTask WriteAsync(FileStream file, ReadOnlyMemory<byte> piece, CancellationToken cancellationToken)
    {
        try
        {
            await file.WriteAsync(piece, cancellationToken);
        }
        catch (IOException ex)
        {
            throw Refused(ex);
        }
    }

    private StoreWriteException Refused(IOException ex)
    {
        LogNotStored(_logger, Store.Directory, ex.Message);
        return StoreWriteException.For("data", "the bundle", Store.Directory, ex, "upload it again");
    }

    /// <summary>A job's use of bundle <paramref name="id"/>, loaded now unless a running job loaded it already.</summary>
    /// <exception cref="BundleNotFoundException">The coordinator does not hold it.</exception>
    /// <exception cref="BundleException">It cannot be loaded; the message says why.</exception>
    public BundleLease Acquire(string id)
    {
        CheckAllowed(id, "bundle_id");
        var lease = _registry.Acquire(id, () => Store.TryRead(id)
            ?? throw new BundleNotFoundException($"bundle_id: bundle {id} is not on this coordinator; upload it first (BundleService.UploadBundle)"));
        _counters.GetOrAdd(id, _ => new BundleCounters()).JobStarted();
        return lease;
    }

    /// <summary>A use of bundle <paramref name="id"/> to look at its kinds, not counted as a job; null when the store lacks it.</summary>
    /// <exception cref="BundleException">It cannot be loaded; the message says why.</exception>
    public BundleLease? Inspect(string id) =>
        Store.TryRead(id) is { } bytes ? _registry.Acquire(id, () => bytes) : null;

    [LoggerMessage(EventId = 6601, Level = LogLevel.Information, Message = "Bundles kept in {Folder} ({Count} there already)")]
    private static partial void LogStore(ILogger logger, string folder, int count);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Bundle upload refused: it could not be stored in {Folder}: {Error}")]
    private static partial void LogNotStored(ILogger logger, string folder, string error);

    [LoggerMessage(EventId = 6300, Level = LogLevel.Information, Message = "Bundle {BundleId} uploaded: {Bytes} bytes")]
    private static partial void LogUploaded(ILogger logger, string bundleId, long bytes);
}

/// <summary>A job named a bundle the coordinator does not hold: FailedPrecondition (upload it first).</summary>
internal sealed class BundleNotFoundException(string message) : Exception(message);

/// <summary>Counts for one bundle since the coordinator started.</summary>
internal sealed class BundleCounters
{
    private long _receivedBytes;
    private int _uploads;
    private long _jobs;

    public long ReceivedBytes => Interlocked.Read(ref _receivedBytes);

    public int Uploads => Volatile.Read(ref _uploads);

    public long Jobs => Interlocked.Read(ref _jobs);

    public void Received(long bytes)
    {
        Interlocked.Add(ref _receivedBytes, bytes);
        Interlocked.Increment(ref _uploads);
    }

    public void JobStarted() => Interlocked.Increment(ref _jobs);
}
