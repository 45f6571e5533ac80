using Cluster.Hosting;
using Cluster.Hosting.Inputs;
using Cluster.Jobs;
using Polly.Timeout;

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

    /// <summary>The entity tag an HTTP(S) input had at submission (empty for a file, or when the server sent none); workers check it on every read.</summary>
    public string ETag { get; private init; } = string.Empty;

    /// <summary>
    /// The input at <paramref name="url"/>: a file's length taken now, or an HTTP(S) resource's length and entity tag
    /// from a request for its first byte, made through <paramref name="http"/> (<c>Coordinator:HttpInput</c>).
    /// </summary>
    /// <exception cref="JobParameterException">The URL is neither, names no readable file, or a resource that cannot be read by ranges.</exception>
    public static async Task<ReferencedInput> OpenAsync(string url, HttpInputSource http, CancellationToken cancellationToken)
    {
        if (InputLocations.HttpUri(url) is not { } uri)
        {
            return Open(url);
        }

        try
        {
            var info = await http.ProbeAsync(uri, cancellationToken).ConfigureAwait(false);
            return new ReferencedInput(url, info.Length) { ETag = info.ETag };
        }
        catch (HttpInputChangedException e)
        {
            throw new JobParameterException("input_url", $"names a resource the workers cannot read by ranges: {e.Message}");
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or IOException and not HttpInputChangedException)
        {
            throw new JobParameterException("input_url", $"names {uri}, which the coordinator could not read: {e.Message}");
        }
    }

    /// <summary>
    /// The input of a job restored from the journal, without a request: a file's length is checked now; an HTTP(S)
    /// resource is taken at the length and entity tag journalled, which the workers check on every read.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file's length is not the one journalled.</exception>
    public static ReferencedInput Restore(string url, long length, string etag)
    {
        if (InputLocations.HttpUri(url) is not null)
        {
            return new ReferencedInput(url, length) { ETag = etag };
        }

        var input = Open(url);
        return input.Length == length
            ? input
            : throw new InvalidOperationException($"its input {url} is now {input.Length} bytes long, not the {length} it had at submission");
    }

    private static ReferencedInput Open(string url)
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
