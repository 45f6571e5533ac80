using Cluster.Coordinator.Journal;
using Cluster.Jobs;

namespace Cluster.Coordinator.Submission;

/// <summary>
/// A job's uploaded input, spooled to a temporary file so inputs of many GiB never sit in memory. Chunks read
/// their ranges back with positional reads, which are safe from several threads. Disposing deletes the file.
/// With a declared length (<c>JobSpec.input_length</c>) the job is planned and dispatched while the spool still
/// grows: <see cref="Length"/> is the declared length from the start, <see cref="Received"/> what has arrived, and
/// every piece is written through to the file at once so a chunk released on it reads its bytes back. Others may
/// open the file to read it (a co-located worker reads its chunks' ranges, see <c>LocalSlice</c>), never to write.
/// A write that fails (a full disk) throws a <see cref="StoreWriteException"/> that names the folder and says to submit again.
/// </summary>
internal sealed class SpooledInput : IJobInput, IDisposable
{
    private readonly FileStream _file;
    private readonly long _declared;
    private long _received;
    private bool _writeFailed;

    public SpooledInput(string directory, string jobId, long declaredLength = 0)
    {
        _declared = declaredLength;
        try
        {
            InputSpool.Create(directory);
            _file = new FileStream(
                System.IO.Path.Combine(directory, $"{jobId}.input"),
                FileMode.CreateNew,
                FileAccess.ReadWrite,
                FileShare.Read,
                bufferSize: declaredLength > 0 ? 0 : 1 << 16,
                FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        }
        catch (IOException ex)
        {
            throw Refused(directory, ex);
        }
    }

    private SpooledInput(FileStream file)
    {
        _file = file;
        _received = file.Length;
    }

    /// <summary>The input of a journalled job after a restart: the spooled file as it was accepted, deleted when the job ends.</summary>
    public static SpooledInput Reopen(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous));

    /// <summary>The spool file's absolute path.</summary>
    public string Path => _file.Name;

    /// <summary>The declared length while the input arrives, else the bytes received.</summary>
    public long Length => _declared > 0 ? _declared : Received;

    /// <summary>Bytes received and written so far.</summary>
    public long Received => Volatile.Read(ref _received);

    /// <summary>The input received so far: its first <see cref="Received"/> bytes, as they are now.</summary>
    public IJobInput Arrived => new Prefix(this, Received);

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            await _file.WriteAsync(data, cancellationToken);
        }
        catch (IOException ex)
        {
            throw WriteFailed(ex);
        }

        Volatile.Write(ref _received, _received + data.Length);
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _file.FlushAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw WriteFailed(ex);
        }
    }

    public int Read(long offset, Span<byte> buffer) => RandomAccess.Read(_file.SafeFileHandle, buffer, offset);

    public void Dispose()
    {
        try
        {
            _file.Dispose();
        }
        catch (IOException) when (_writeFailed)
        {
            // Closing flushes the buffer whose write already failed, and fails again; the file is closed and deleted
            // all the same, and the first failure is the one the client was told.
        }
    }

    private StoreWriteException WriteFailed(IOException ex)
    {
        _writeFailed = true;
        return Refused(System.IO.Path.GetDirectoryName(Path)!, ex);
    }

    private static StoreWriteException Refused(string directory, IOException ex) =>
        StoreWriteException.For("input", "the upload", directory, ex, "submit the job again");

    private sealed class Prefix(SpooledInput spool, long length) : IJobInput
    {
        public long Length => length;

        public int Read(long offset, Span<byte> buffer) =>
            offset >= length ? 0 : spool.Read(offset, buffer[..(int)Math.Min(buffer.Length, length - offset)]);
    }
}
