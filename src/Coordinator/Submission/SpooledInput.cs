using Cluster.Jobs;

namespace Cluster.Coordinator.Submission;

/// <summary>
/// A job's uploaded input, spooled to a temporary file so inputs of many GiB never sit in memory. Chunks read
/// their ranges back with positional reads, which are safe from several threads. Disposing deletes the file.
/// </summary>
internal sealed class SpooledInput : IJobInput, IDisposable
{
    private readonly FileStream _file;

    public SpooledInput(string directory, string jobId)
    {
        Directory.CreateDirectory(directory);
        _file = new FileStream(
            Path.Combine(directory, $"{jobId}.input"),
            FileMode.CreateNew,
            FileAccess.ReadWrite,
            FileShare.None,
            bufferSize: 1 << 16,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
    }

    private SpooledInput(FileStream file)
    {
        _file = file;
        Length = file.Length;
    }

    /// <summary>The input of a journalled job after a restart: the spooled file as it was accepted, deleted when the job ends.</summary>
    public static SpooledInput Reopen(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous));

    public long Length { get; private set; }

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _file.WriteAsync(data, cancellationToken);
        Length += data.Length;
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken) => await _file.FlushAsync(cancellationToken);

    public int Read(long offset, Span<byte> buffer) => RandomAccess.Read(_file.SafeFileHandle, buffer, offset);

    public void Dispose() => _file.Dispose();
}
