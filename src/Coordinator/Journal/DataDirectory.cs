namespace Cluster.Coordinator.Journal;

/// <summary>
/// The coordinator's data directory: the journal database, the spooled inputs of accepted jobs and the results of
/// finished ones. Created with mode 0700 (and an existing one narrowed to it), so only the coordinator's user reads it.
/// </summary>
internal sealed class DataDirectory
{
    /// <summary>Owner read, write and search; nothing for group or others.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public DataDirectory(string root)
    {
        Root = Path.GetFullPath(root);
        CreatePrivate(Root);
        CreatePrivate(InputsPath);
        CreatePrivate(ResultsPath);
    }

    public string Root { get; }

    /// <summary>The SQLite journal file.</summary>
    public string JournalPath => Path.Combine(Root, "journal.db");

    /// <summary>Inputs of accepted jobs, one <c>ID.input</c> file each, deleted when the job ends.</summary>
    public string InputsPath => Path.Combine(Root, "inputs");

    /// <summary>Results of finished jobs, one <c>ID.result</c> file each, kept by the retention policy.</summary>
    public string ResultsPath => Path.Combine(Root, "results");

    public string InputFile(string jobId) => Path.Combine(InputsPath, jobId + ".input");

    public string ResultFile(string jobId) => Path.Combine(ResultsPath, jobId + ".result");

    /// <summary>
    /// Writes a finished job's result to its file: under a temporary name, then renamed, so the file is whole whenever it
    /// has its name (a crash mid-write leaves a <c>.tmp</c> that start-up removes). Returns the file's path.
    /// </summary>
    /// <exception cref="IOException">The disk is full, or the file cannot be written; nothing is left behind.</exception>
    public string WriteResult(string jobId, ReadOnlySpan<byte> data)
    {
        var path = ResultFile(jobId);
        var temporary = path + ".tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                file.Write(data);
            }

            File.Move(temporary, path, overwrite: true);
            return path;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static void CreatePrivate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, OwnerOnly);
        if ((File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }
    }
}
