namespace Cluster.Jobs.InProcess;

/// <summary>An <see cref="IJobInput"/> over bytes already in memory.</summary>
public sealed class MemoryJobInput(ReadOnlyMemory<byte> data) : IJobInput
{
    /// <inheritdoc />
    public long Length => data.Length;

    /// <inheritdoc />
    public int Read(long offset, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= data.Length)
        {
            return 0;
        }

        var count = (int)Math.Min(buffer.Length, data.Length - offset);
        data.Span.Slice((int)offset, count).CopyTo(buffer);
        return count;
    }
}
