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

    /// <summary>Removes flags that the configuration command-line provider cannot parse (switches without values).</summary>
    public static string[] WithoutFlags(IEnumerable<string> args) =>
        [.. args.Where(a => !string.Equals(a, ProcessFlags.ExitWithParent, StringComparison.Ordinal) && !string.Equals(a, InsecureFlag, StringComparison.Ordinal))];

    /// <summary>Splits a comma- or semicolon-separated setting (such as <c>--jobs a.dll,b.dll</c>) into its items.</summary>
    public static string[] SplitList(string value) =>
        value.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
