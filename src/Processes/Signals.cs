using System.Runtime.InteropServices;

namespace Cluster.Processes;

/// <summary>Sends POSIX signals to processes (SIGTERM for a graceful stop, SIGSTOP/SIGCONT to freeze and thaw).</summary>
public static partial class Signals
{
    /// <summary>Ask to terminate gracefully.</summary>
    public const int SigTerm = 15;

    /// <summary>Kill at once; cannot be caught.</summary>
    public const int SigKill = 9;

    /// <summary>Freeze; cannot be caught.</summary>
    public const int SigStop = 19;

    /// <summary>Thaw a frozen process.</summary>
    public const int SigCont = 18;

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="pid"/>.</summary>
    /// <returns><see langword="false"/> when the process no longer exists.</returns>
    /// <exception cref="PlatformNotSupportedException">Not on Linux or macOS.</exception>
    public static bool Send(int pid, int signal)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            throw new PlatformNotSupportedException("Signals are only sent on Linux and macOS.");
        }

        return Kill(pid, signal) == 0;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int sig);
}
