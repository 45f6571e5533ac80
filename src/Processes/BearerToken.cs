namespace Cluster.Processes;

/// <summary>
/// The bearer token a worker or client sends to a coordinator with a token file: read from a file it is given, else
/// from the <see cref="EnvironmentVariable"/>; never from the command line, where <c>ps</c> would show it.
/// </summary>
public static class BearerToken
{
    /// <summary>Environment variable holding the secret when no token file is given: <c>CLUSTER_TOKEN</c>.</summary>
    public const string EnvironmentVariable = "CLUSTER_TOKEN";

    /// <summary>gRPC metadata key that carries the token: <c>authorization</c>.</summary>
    public const string MetadataKey = "authorization";

    /// <summary>
    /// The secret from <paramref name="tokenFile"/> when one is given (its first line that is neither blank nor a
    /// <c>#</c> comment; a <c>NAME:ROLE:SECRET</c> line, as in the coordinator's file, gives its SECRET), else from
    /// <see cref="EnvironmentVariable"/>; <see langword="null"/> when neither has one.
    /// </summary>
    /// <param name="tokenFile">Path of the token file, or <see langword="null"/> or empty for none.</param>
    /// <exception cref="IOException">The file cannot be read, or holds no token.</exception>
    public static string? Read(string? tokenFile)
    {
        if (string.IsNullOrEmpty(tokenFile))
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable)?.Trim();
            return string.IsNullOrEmpty(fromEnvironment) ? null : fromEnvironment;
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(tokenFile);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IOException($"The token file '{tokenFile}' cannot be read: {ex.Message}", ex);
        }

        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(':', 3);
            return parts.Length == 3 && parts[1].Trim().ToUpperInvariant() is "WORKER" or "CLIENT" or "ADMIN" ? parts[2].Trim() : line;
        }

        throw new IOException($"The token file '{tokenFile}' holds no token.");
    }

    /// <summary>The metadata value for <paramref name="secret"/>: <c>Bearer SECRET</c>.</summary>
    public static string HeaderValue(string secret) => "Bearer " + secret;
}
