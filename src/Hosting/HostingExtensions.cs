using Cluster.Processes;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Hosting;

/// <summary>Registration helpers shared by the coordinator and the worker.</summary>
public static class HostingExtensions
{
    /// <summary>Registers <see cref="ParentWatch"/> when <paramref name="args"/> carries <see cref="ProcessFlags.ExitWithParent"/>.</summary>
    public static IServiceCollection AddParentWatchIfRequested(this IServiceCollection services, IReadOnlyList<string> args)
    {
        if (args.Contains(ProcessFlags.ExitWithParent, StringComparer.Ordinal))
        {
            services.AddHostedService<ParentWatch>();
        }

        return services;
    }

    /// <summary>The coordinator's switch without a value that accepts every caller off loopback (<c>Coordinator:Insecure=true</c>).</summary>
    public const string InsecureFlag = "--insecure";

    /// <summary>
    /// The host's arguments: <paramref name="args"/> without the flags the configuration command-line provider cannot
    /// parse, after a default that leaves <c>appsettings.json</c> unwatched. The host would watch it in its content root,
    /// the current directory, with a file watcher that puts an inotify watch on every directory below it at start
    /// (17,879 started from /usr; CPU seconds, and the user's inotify limit, that grow with the tree the process is
    /// started in), while nothing rereads a setting after start: options are bound and validated once. A later
    /// <c>--hostBuilder:reloadConfigOnChange=true</c> among <paramref name="args"/> still wins.
    /// </summary>
    public static string[] HostArgs(IEnumerable<string> args) => ["--hostBuilder:reloadConfigOnChange=false", .. WithoutFlags(args)];

    /// <summary>Removes flags that the configuration command-line provider cannot parse (switches without values).</summary>
    public static string[] WithoutFlags(IEnumerable<string> args) =>
        [.. args.Where(a => !string.Equals(a, ProcessFlags.ExitWithParent, StringComparison.Ordinal) && !string.Equals(a, InsecureFlag, StringComparison.Ordinal))];

    /// <summary>Splits a comma- or semicolon-separated setting (such as <c>--jobs a.dll,b.dll</c>) into its items.</summary>
    public static string[] SplitList(string value) =>
        value.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
