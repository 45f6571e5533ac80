namespace Cluster.Cli.Common;

/// <summary>
/// The per-user state directory where <c>cluster coordinator</c> and <c>cluster local</c> keep their data directory
/// (journal, inputs, results, bundles) unless given <c>--data-dir</c>: <c>$XDG_STATE_HOME/cluster</c>, or
/// <c>~/.local/state/cluster</c> when that variable is unset or not an absolute path (the XDG Base Directory rule); on
/// Windows, <c>%LOCALAPPDATA%\cluster</c>. Each verb has its own folder under it, so both can run at once.
/// </summary>
internal static class StateDirectory
{
    /// <summary>The variable of the XDG Base Directory specification that names the user's state folder.</summary>
    public const string Variable = "XDG_STATE_HOME";

    /// <summary>The data directory of <paramref name="verb"/> (<c>coordinator</c> or <c>local</c>) under the state directory.</summary>
    public static string For(string verb, Func<string, string?> environment) => Path.Combine(Root(environment), verb);

    /// <summary>The state directory: <c>$XDG_STATE_HOME/cluster</c> or <c>~/.local/state/cluster</c>.</summary>
    public static string Root(Func<string, string?> environment)
    {
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "cluster");
        }

        // The specification says a relative path is invalid and must be ignored.
        var state = environment(Variable);
        if (!string.IsNullOrEmpty(state) && Path.IsPathFullyQualified(state))
        {
            return Path.Combine(state, "cluster");
        }

        var home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "state", "cluster");
    }
}
