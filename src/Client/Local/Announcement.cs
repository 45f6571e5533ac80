using Cluster.Processes;

namespace Cluster.Client.Local;

/// <summary>Reads the lines a coordinator or worker prints for its parent (see <see cref="Announcements"/>).</summary>
internal static class Announcement
{
    /// <summary>Reads <c>listening: URL</c>; only an absolute http(s) URL counts.</summary>
    public static bool TryParseListening(string line, out Uri address)
    {
        address = null!;
        var value = ValueAfter(line, Announcements.Listening);
        return value is not null
            && Uri.TryCreate(value, UriKind.Absolute, out address!)
            && (address.Scheme == Uri.UriSchemeHttp || address.Scheme == Uri.UriSchemeHttps);
    }

    /// <summary>Reads <c>http: URL</c>, the coordinator's HTTP port (metrics, dashboard); only an absolute http(s) URL counts.</summary>
    public static bool TryParseHttp(string line, out Uri address)
    {
        address = null!;
        var value = ValueAfter(line, Announcements.Http);
        return value is not null
            && Uri.TryCreate(value, UriKind.Absolute, out address!)
            && (address.Scheme == Uri.UriSchemeHttp || address.Scheme == Uri.UriSchemeHttps);
    }

    /// <summary>Reads <c>joined: ID</c>.</summary>
    public static bool TryParseJoined(string line, out string workerId)
    {
        workerId = ValueAfter(line, Announcements.Joined) ?? string.Empty;
        return workerId.Length > 0;
    }

    private static string? ValueAfter(string line, string prefix)
    {
        // Log lines that merely mention the word are not announcements: the prefix must start the line.
        var trimmed = line.TrimEnd();
        return trimmed.StartsWith(prefix, StringComparison.Ordinal) ? trimmed[prefix.Length..].Trim() : null;
    }
}
