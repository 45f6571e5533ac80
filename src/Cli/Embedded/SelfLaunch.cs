using System.Reflection;
using Cluster.Client.Local;

namespace Cluster.Cli.Embedded;

/// <summary>How this CLI starts another copy of itself with a verb (<c>coordinator</c>, <c>worker</c>).</summary>
internal static class SelfLaunch
{
    /// <summary>The command for the running process.</summary>
    public static ProcessCommand ForCurrentProcess(string verb) =>
        Resolve(Environment.ProcessPath, Assembly.GetEntryAssembly()?.Location, verb);

    /// <summary>
    /// Under the <c>dotnet</c> host (<c>dotnet cluster.dll</c>) the entry assembly must be named again; an apphost
    /// (<c>./cluster</c>) is started as it is.
    /// </summary>
    /// <exception cref="InvalidOperationException">The process path is unknown, or the host is dotnet and the entry assembly is unknown.</exception>
    public static ProcessCommand Resolve(string? processPath, string? entryAssemblyPath, string verb)
    {
        if (string.IsNullOrEmpty(processPath))
        {
            throw new InvalidOperationException("Cannot tell which executable is running, so a local cluster cannot be started; pass --coordinator.");
        }

        if (!string.Equals(Path.GetFileNameWithoutExtension(processPath), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return new ProcessCommand(processPath, [verb]);
        }

        return string.IsNullOrEmpty(entryAssemblyPath)
            ? throw new InvalidOperationException("Running under the dotnet host without a known entry assembly, so a local cluster cannot be started; pass --coordinator.")
            : new ProcessCommand(processPath, [entryAssemblyPath, verb]);
    }
}
