using Cluster.Jobs;

namespace Cluster.Coordinator.Submission;

/// <summary>
/// A job's uploaded input, spooled to a temporary file so inputs of many GiB never sit in memory. Chunks read
/// their ranges back with positional reads, which are safe from several threads. Disposing deletes the file.
/// With a declared length (<c>JobSpec.input_length</c>) the job is planned and dispatched while the spool still
/// grows: <see cref="Length"/> is the declared length from the start, <see cref="Received"/> what has arrived, and
/// every piece is written through to the file at once so a chunk released on it reads its bytes back. Others may
/// open the file to read it (a co-located worker reads its chunks' ranges, see <c>LocalSlice</c>), never to write.
/// </summary>
internal sealed class SpooledInput : IJobInput, IDisposable
{
    private readonly FileStream _file;
    private readonly long _declared;
    private long _received;

    public SpooledInput(string directory, string jobId, long declaredLength = 0)
    {
        InputSpool.Create(directory);
        _declared = declaredLength;
        _file = new FileStream(
            System.IO.Path.Combine(directory, $"{jobId}.input"),
            FileMode.CreateNew,
            FileAccess.ReadWrite,
            FileShare.Read,
            bufferSize: declaredLength > 0 ? 0 : 1 << 16,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
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
        await _file.WriteAsync(data, cancellationToken);
        Volatile.Write(ref _received, _received + data.Length);
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken) => await _file.FlushAsync(cancellationToken);

    public int Read(long offset, Span<byte> buffer) => RandomAccess.Read(_file.SafeFileHandle, buffer, offset);

    public void Dispose() => _file.Dispose();

    private sealed class Prefix(SpooledInput spool, long length) : IJobInput
    {
        public long Length => length;

        public int Read(long offset, Span<byte> buffer) =>
            offset >= length ? 0 : spool.Read(offset, buffer[..(int)Math.Min(buffer.Length, length - offset)]);
    }
}
