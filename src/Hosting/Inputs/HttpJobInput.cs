using Cluster.Jobs;

namespace Cluster.Hosting.Inputs;

/// <summary>A job's input by reference over HTTP(S), as a worker reads it: each read is one checked range request.</summary>
/// <param name="source">Where the requests go through.</param>
/// <param name="uri">The resource.</param>
/// <param name="expected">Its length and entity tag when the job was planned.</param>
public sealed class HttpJobInput(HttpInputSource source, Uri uri, HttpInputInfo expected) : IJobInput
{
    /// <inheritdoc />
    public long Length => expected.Length;

    /// <inheritdoc />
    /// <exception cref="HttpInputChangedException">The resource changed since the job was planned, or cannot be read by ranges.</exception>
    /// <exception cref="HttpRequestException">It could not be read, after the retries.</exception>
    public int Read(long offset, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= expected.Length)
        {
            return 0;
        }

        var count = (int)Math.Min(buffer.Length, expected.Length - offset);
        source.ReadRange(uri, expected, offset, buffer[..count]);
        return count;
    }
}
