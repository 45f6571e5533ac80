using Microsoft.Win32.SafeHandles;

namespace Cluster.Jobs.InProcess;

/// <summary>An <see cref="IJobInput"/> over a file, read with positional reads so that threads never share a file position.</summary>
public sealed class FileJobInput : IJobInput, IDisposable
{
    private readonly SafeFileHandle _handle;

    /// <summary>Opens <paramref name="path"/> for reading; the file's length is fixed at this point.</summary>
    public FileJobInput(string path)
    {
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        Length = RandomAccess.GetLength(_handle);
    }

    /// <inheritdoc />
    public long Length { get; }

    /// <inheritdoc />
    public int Read(long offset, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return offset >= Length ? 0 : RandomAccess.Read(_handle, buffer[..(int)Math.Min(buffer.Length, Length - offset)], offset);
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
