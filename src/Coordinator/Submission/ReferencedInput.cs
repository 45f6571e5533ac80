using Cluster.Hosting;
using Cluster.Jobs;

namespace Cluster.Coordinator.Submission;

/// <summary>
/// A job's input named by location (<c>JobSpec.input_url</c>), read by the workers themselves: the coordinator knows its
/// length and never reads it.
/// </summary>
internal sealed class ReferencedInput : IJobInput
{
    private ReferencedInput(string url, long length)
    {
        Url = url;
        Length = length;
    }

    /// <summary>The location, as the client gave it.</summary>
    public string Url { get; }

    /// <inheritdoc />
    public long Length { get; }

    /// <summary>The input at <paramref name="url"/>, whose length is taken now.</summary>
    /// <exception cref="JobParameterException">The URL is not a file URL, or names no readable file.</exception>
    public static ReferencedInput Open(string url)
    {
        if (!InputLocations.TryGetFilePath(url, out var path, out var error))
        {
            throw new JobParameterException("input_url", error);
        }

        var file = new FileInfo(path);
        return file.Exists
            ? new ReferencedInput(url, file.Length)
            : throw new JobParameterException("input_url", $"names '{path}', which is not a file the coordinator can see (the workers read it at the same path)");
    }

    /// <inheritdoc />
    public int Read(long offset, Span<byte> buffer) =>
        throw new InvalidOperationException("The input of a job read by reference is read by the workers; the coordinator knows only its length.");
}
