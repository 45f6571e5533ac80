using Cluster.Cli.Common;
using Cluster.Client.Local;

namespace Cluster.Cli.Embedded;

/// <summary>Starts a <see cref="LocalCluster"/> of copies of this CLI (verbs <c>coordinator</c> and <c>worker</c>).</summary>
internal static class EmbeddedCluster
{
    /// <summary>What the user asked for.</summary>
    /// <param name="Workers">Worker processes.</param>
    /// <param name="Threads">Threads per worker, or null for the worker's default.</param>
    /// <param name="Port">Coordinator port (0 for any free one).</param>
    /// <param name="DataDirectory">The coordinator's data directory (journal, inputs, results, bundles), or null for none.</param>
    /// <param name="OneJob">The cluster of one <c>cluster submit</c>, stopped after its job: see <see cref="LocalClusterOptions.OneJobEnvironment"/>.</param>
    /// <remarks>No job assemblies: a local cluster gets a user's job kinds as bundles, uploaded once it runs, as any cluster does.</remarks>
    public sealed record Settings(int Workers, int? Threads, int Port, string? DataDirectory = null, bool OneJob = false);

    public static LocalClusterOptions Options(Settings settings)
    {
        if (settings.Workers < 1)
        {
            throw new CliUsageException($"--workers must be at least 1, not {settings.Workers}.");
        }

        if (settings.Threads is < 1)
        {
            throw new CliUsageException($"--threads must be at least 1, not {settings.Threads}.");
        }

        return new LocalClusterOptions
        {
            CoordinatorCommand = SelfLaunch.ForCurrentProcess("coordinator"),
            WorkerCommand = SelfLaunch.ForCurrentProcess("worker"),
            Workers = settings.Workers,
            // A local cluster shares this machine's cores among its workers rather than oversubscribing them.
            ThreadsPerWorker = settings.Threads ?? Math.Max(1, Environment.ProcessorCount / settings.Workers),
            Port = settings.Port,
            DataDirectory = settings.DataDirectory,

            // A user's local cluster keeps its size: a worker that dies is started again.
            RestartWorkers = true,
            CoordinatorEnvironment = settings.OneJob ? LocalClusterOptions.OneJobEnvironment : new Dictionary<string, string>(),
            WorkerEnvironment = settings.OneJob ? LocalClusterOptions.OneJobEnvironment : new Dictionary<string, string>(),
        };
    }

    public static Task<LocalCluster> StartAsync(Settings settings, CancellationToken cancellationToken) =>
        LocalCluster.StartNewAsync(Options(settings), cancellationToken);

    /// <summary>
    /// The web dashboard of <paramref name="cluster"/>, or null when its coordinator has no HTTP port. With
    /// <paramref name="withToken"/>, the address logs the browser in (<c>?token=</c>, swapped for a cookie at once).
    /// </summary>
    public static string? DashboardUrl(LocalCluster cluster, bool withToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (cluster.HttpAddress is not { } http)
        {
            return null;
        }

        var root = http.ToString().TrimEnd('/') + "/";
        return withToken && cluster.ClientToken is { } token ? root + "?token=" + Uri.EscapeDataString(token) : root;
    }
}
