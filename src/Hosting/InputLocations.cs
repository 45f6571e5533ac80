using System.Diagnostics.CodeAnalysis;

namespace Cluster.Hosting;

/// <summary>
/// Where a job's input by reference lives (<c>JobSpec.input_url</c>): the one place the coordinator and the workers
/// read such a location.
/// </summary>
public static class InputLocations
{
    /// <summary>The <c>http://</c> or <c>https://</c> URL <paramref name="url"/> is, or null when it is another kind of location.</summary>
    public static Uri? HttpUri(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;

    /// <summary>
    /// The local path that <paramref name="url"/> names: a <c>file:///absolute/path</c> URL. False, with a sentence
    /// saying why, for anything else.
    /// </summary>
    public static bool TryGetFilePath(string url, [NotNullWhen(true)] out string? path, [NotNullWhen(false)] out string? error)
    {
        path = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.IsFile || uri.IsUnc || !string.IsNullOrEmpty(uri.Query))
        {
            error = $"must be a file:///absolute/path URL of a file every worker can read, or an http(s):// URL of a server that answers range requests (got '{url}')";
            return false;
        }

        path = uri.LocalPath;
        error = null;
        return true;
    }
}
