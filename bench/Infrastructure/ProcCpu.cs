using System.Globalization;

namespace Cluster.Bench.Infrastructure;

/// <summary>CPU time (user + system) a process has used so far, from Linux's /proc: where a workload's cycles went.</summary>
internal static class ProcCpu
{
    // The kernel reports /proc/PID/stat times in clock ticks; USER_HZ is 100 on every Linux this runs on.
    private const double TicksPerSecond = 100;

    /// <summary>Seconds of CPU time process <paramref name="pid"/> has used.</summary>
    /// <exception cref="InvalidOperationException">The process is gone, or this is not Linux.</exception>
    public static double Seconds(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cannot read the CPU time of process {pid}: {e.Message}", e);
        }

        // Fields after the parenthesised command: state is field 3, utime 14 and stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / TicksPerSecond;
    }
}
