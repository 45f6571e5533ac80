using Cluster.Bundles.Format;

namespace Cluster.Bundles.Storage;

/// <summary>
/// Bundles on disk by hash (<c>ID.bundle</c> in one folder), at most <see cref="CapacityBytes"/> in all: adding one
/// evicts the least recently used others (never one in use) until they fit. Last use is the file's write time, so the
/// order survives a restart. Files are written to a temporary name and moved in, so a reader never sees half a bundle.
/// </summary>
public sealed class BundleStore
{
    private const string Extension = ".bundle";
    private readonly Dictionary<string, (long Size, DateTimeOffset LastUse)> _index = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Func<string, bool> _inUse;

    /// <summary>Opens (creating it) the store in <paramref name="directory"/> and indexes the bundles already there.</summary>
    /// <param name="directory">The folder.</param>
    /// <param name="capacityBytes">The most bytes of bundles kept.</param>
    /// <param name="time">Time of last use.</param>
    /// <param name="inUse">Whether a bundle is in use now; such a bundle is never evicted.</param>
    public BundleStore(string directory, long capacityBytes, TimeProvider time, Func<string, bool> inUse)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        Directory = directory;
        CapacityBytes = capacityBytes;
        _time = time;
        _inUse = inUse;
        System.IO.Directory.CreateDirectory(directory);
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*" + Extension))
        {
            var id = Path.GetFileNameWithoutExtension(file.Name);
            if (BundleIds.IsValid(id))
            {
                _index[id] = (file.Length, file.LastWriteTimeUtc);
            }
        }
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>The most bytes of bundles kept.</summary>
    public long CapacityBytes { get; }

    /// <summary>Bytes of bundles on disk now.</summary>
    public long TotalBytes
    {
        get
        {
            lock (_index)
            {
                return _index.Values.Sum(e => e.Size);
            }
        }
    }

    /// <summary>The ids held now.</summary>
    public IReadOnlyList<string> Ids
    {
        get
        {
            lock (_index)
            {
                return [.. _index.Keys];
            }
        }
    }

    /// <summary>The size of bundle <paramref name="id"/>, or 0 when it is not held.</summary>
    public long SizeOf(string id)
    {
        lock (_index)
        {
            return _index.TryGetValue(id, out var entry) ? entry.Size : 0;
        }
    }

    /// <summary>Whether bundle <paramref name="id"/> is held; counts as a use.</summary>
    public bool Contains(string id) => Touch(id) && File.Exists(PathOf(id));

    /// <summary>The bytes of bundle <paramref name="id"/>, or null when it is not held (or its file vanished); counts as a use.</summary>
    public byte[]? TryRead(string id)
    {
        if (!Touch(id))
        {
            return null;
        }

        try
        {
            return File.ReadAllBytes(PathOf(id));
        }
        catch (FileNotFoundException)
        {
            lock (_index)
            {
                _index.Remove(id);
            }

            return null;
        }
    }

    /// <summary>Adds a bundle whose bytes hash to <paramref name="id"/> (the caller checked), then evicts to fit.</summary>
    public void Add(string id, ReadOnlySpan<byte> bytes)
    {
        var temporary = TemporaryPath();
        File.WriteAllBytes(temporary, bytes);
        AddFile(id, temporary);
    }

    /// <summary>A fresh path in the store's folder to write a bundle to before <see cref="AddFile"/> moves it in.</summary>
    public string TemporaryPath() => Path.Combine(Directory, $"{Guid.NewGuid():N}.partial");

    /// <summary>Moves a complete file (from <see cref="TemporaryPath"/>) in as bundle <paramref name="id"/>, then evicts to fit.</summary>
    public void AddFile(string id, string temporaryPath)
    {
        if (!BundleIds.IsValid(id))
        {
            throw new ArgumentException($"'{id}' is not a bundle id.", nameof(id));
        }

        var path = PathOf(id);
        File.Move(temporaryPath, path, overwrite: true);
        var now = _time.GetUtcNow();
        File.SetLastWriteTimeUtc(path, now.UtcDateTime);
        lock (_index)
        {
            _index[id] = (new FileInfo(path).Length, now);
        }

        Evict(keep: id);
    }

    private void Evict(string keep)
    {
        List<string> victims = [];
        lock (_index)
        {
            var total = _index.Values.Sum(e => e.Size);
            foreach (var (id, entry) in _index.OrderBy(e => e.Value.LastUse).ToList())
            {
                if (total <= CapacityBytes)
                {
                    break;
                }

                if (id == keep || _inUse(id))
                {
                    continue;
                }

                _index.Remove(id);
                total -= entry.Size;
                victims.Add(id);
            }
        }

        foreach (var id in victims)
        {
            File.Delete(PathOf(id));
        }
    }

    private bool Touch(string id)
    {
        if (!BundleIds.IsValid(id))
        {
            return false;
        }

        var now = _time.GetUtcNow();
        lock (_index)
        {
            if (!_index.TryGetValue(id, out var entry))
            {
                return false;
            }

            _index[id] = (entry.Size, now);
        }

        try
        {
            File.SetLastWriteTimeUtc(PathOf(id), now.UtcDateTime);
        }
        catch (FileNotFoundException)
        {
            // Gone behind the store's back; the read that follows finds out.
        }

        return true;
    }

    private string PathOf(string id) => Path.Combine(Directory, id + Extension);
}
