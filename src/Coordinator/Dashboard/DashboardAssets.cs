namespace Cluster.Coordinator.Dashboard;

/// <summary>The dashboard's static files, embedded in the coordinator's assembly (no build step, nothing on disk).</summary>
internal static class DashboardAssets
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
    };

    /// <summary>The file's bytes and content type, or null for a name that is not one of the dashboard's files.</summary>
    public static (byte[] Content, string ContentType)? Find(string name)
    {
        if (!ContentTypes.TryGetValue(name, out var contentType))
        {
            return null;
        }

        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream("dashboard/" + name)
            ?? throw new InvalidOperationException($"The dashboard file '{name}' is not embedded in the coordinator.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return (copy.ToArray(), contentType);
    }
}
