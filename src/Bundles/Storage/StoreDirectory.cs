namespace Cluster.Bundles.Storage;

/// <summary>
/// A bundle folder held by this process alone, so two clusters (or two workers) on one machine never share a store and
/// never evict each other's files: the first of FOLDER, FOLDER-2, FOLDER-3, ... that no other running process holds,
/// held by an exclusive lock on its <c>.lock</c> file until this is disposed or the process ends (a killed process's
/// lock goes with it). The same process started again takes the same folder back, and its bundles with it.
/// </summary>
public sealed class StoreDirectory : IDisposable
{
    /// <summary>Folders tried: FOLDER and FOLDER-2 up to FOLDER-64.</summary>
    public const int MaxInstances = 64;

    private const string LockFile = ".lock";
    private readonly FileStream _lock;

    private StoreDirectory(string path, FileStream held)
    {
        Path = path;
        _lock = held;
    }

    /// <summary>The folder held.</summary>
    public string Path { get; }

    /// <summary>Holds the first free one of <paramref name="directory"/> and its numbered siblings, creating it.</summary>
    /// <exception cref="IOException">All of them are held by other running processes.</exception>
    public static StoreDirectory Claim(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        for (var instance = 1; instance <= MaxInstances; instance++)
        {
            var path = instance == 1 ? directory : $"{directory}-{instance}";
            Directory.CreateDirectory(path);
            try
            {
                // FileShare.None is an exclusive advisory lock (flock) on Unix and a sharing lock on Windows.
                return new StoreDirectory(path, new FileStream(System.IO.Path.Combine(path, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                // Held by another running process: try the next one.
            }
        }

        throw new IOException($"'{directory}' and its numbered siblings up to '{directory}-{MaxInstances}' are all held by other running processes; set a folder of this process's own");
    }

    /// <summary>Lets another process take the folder.</summary>
    public void Dispose() => _lock.Dispose();
}
