using System.Globalization;

namespace Cluster.Client.Local;

/// <summary>Describes a child's exit code in words, naming the signal when a signal ended it.</summary>
public static class ExitDescription
{
    private static readonly Dictionary<int, string> SignalNames = new()
    {
        [1] = "SIGHUP",
        [2] = "SIGINT",
        [3] = "SIGQUIT",
        [4] = "SIGILL",
        [6] = "SIGABRT: it crashed",
        [7] = "SIGBUS",
        [8] = "SIGFPE",
        [9] = "SIGKILL: killed, perhaps by the out-of-memory killer",
        [11] = "SIGSEGV",
        [13] = "SIGPIPE",
        [15] = "SIGTERM",
    };

    /// <summary>For example "exited with code 0", or "killed by signal 9 (SIGKILL: ...)" for code 137.</summary>
    public static string Of(int exitCode)
    {
        // A process ended by signal N reports 128 + N.
        if (exitCode is > 128 and < 160)
        {
            var signal = exitCode - 128;
            var name = SignalNames.TryGetValue(signal, out var known) ? known : "signal";
            return string.Create(CultureInfo.InvariantCulture, $"killed by signal {signal} ({name})");
        }

        return string.Create(CultureInfo.InvariantCulture, $"exited with code {exitCode}");
    }
}
