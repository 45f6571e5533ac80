using System.CommandLine;
using Cluster.Processes;

namespace Cluster.Cli.Common;

/// <summary>Options that several verbs share, created fresh for each command (an option belongs to one parent).</summary>
internal static class CommonOptions
{
    /// <summary>Environment variable naming the coordinator when <c>--coordinator</c> is not given.</summary>
    public const string CoordinatorVariable = "CLUSTER_COORDINATOR";

    /// <summary>Where <c>cluster local</c> listens and where the inspection verbs look by default.</summary>
    public const string DefaultCoordinator = "http://127.0.0.1:7400";

    /// <summary><c>--coordinator URL</c>; defaults to CLUSTER_COORDINATOR, then to <paramref name="fallback"/>.</summary>
    public static Option<string?> Coordinator(CliConsole console, string? fallback) => new("--coordinator")
    {
        Description = fallback is null
            ? $"Coordinator URL (env {CoordinatorVariable}); without one, a local cluster is started for this job"
            : $"Coordinator URL (env {CoordinatorVariable}, default {fallback})",
        HelpName = "URL",
        DefaultValueFactory = _ => console.GetEnvironmentVariable(CoordinatorVariable) is { Length: > 0 } fromEnv ? fromEnv : fallback,
    };

    /// <summary><c>--json</c>: machine-readable output.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of tables" };

    /// <summary><c>--jobs a.dll,b.dll</c>: extra job-kind assemblies.</summary>
    public static Option<string?> Jobs() => new("--jobs") { Description = "Job assemblies or build output folders, comma-separated, shipped to the cluster as bundles", HelpName = "PATH,..." };

    /// <summary><c>-o|--output FILE</c>: where to write the result data.</summary>
    public static Option<FileInfo?> Output() => new("--output", "-o") { Description = "Write the result data (for example the PNG) to this file", HelpName = "FILE" };

    /// <summary><c>--threads N</c>: compute threads per worker.</summary>
    public static Option<int?> Threads() => new("--threads") { Description = "Compute threads per worker (default: a local cluster shares the cores among its workers; a worker alone takes them all)", HelpName = "N" };

    /// <summary><c>--port P</c>.</summary>
    public static Option<int?> Port(string description) => new("--port") { Description = description, HelpName = "PORT" };

    /// <summary><c>--token-file FILE</c>: the token for a coordinator with a token file (never the secret itself on the command line).</summary>
    public static Option<FileInfo?> TokenFile() => new("--token-file")
    {
        Description = $"File holding the token for a coordinator with a token file (default: env {BearerToken.EnvironmentVariable})",
        HelpName = "FILE",
    };

    /// <summary>The token to send: from <paramref name="file"/> when given, else from CLUSTER_TOKEN; <see langword="null"/> for none.</summary>
    /// <exception cref="CliUsageException">The file cannot be read or holds no token.</exception>
    public static string? Token(CliConsole console, FileInfo? file)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (file is null)
        {
            return console.GetEnvironmentVariable(BearerToken.EnvironmentVariable) is { Length: > 0 } fromEnv ? fromEnv.Trim() : null;
        }

        try
        {
            return BearerToken.Read(file.FullName);
        }
        catch (IOException e)
        {
            throw new CliUsageException("--token-file: " + e.Message);
        }
    }

    /// <summary>Splits a <c>--jobs</c> value into paths.</summary>
    public static IReadOnlyList<string> SplitList(string? value) =>
        value is null ? [] : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
