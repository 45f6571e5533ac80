using System.Globalization;

namespace Cluster.Bench.Infrastructure;

/// <summary>CPU time (user + system) a process has used so far, from Linux's /proc: where a workload's cycles went.</summary>
internal static class ProcCpu
{
    // The kernel reports /proc/PID/stat times in clock ticks; USER_HZ is 100 on every Linux this runs on.
    private const double TicksPerSecond = 100;

    /// <summary>Seconds of CPU time process <paramref name="pid"/> has used.</summary>
    /// <exception cref="InvalidOperationException">The process is gone, or this is not Linux.</exception>
    public static double Seconds(int pid) => Ticks(pid, 11) / TicksPerSecond;

    /// <summary>
    /// Seconds of CPU time used by this process's children that have ended and been waited for, with their own such
    /// children: a program this process ran to its end, together with every process it started and waited for.
    /// </summary>
    public static double EndedChildrenSeconds() => Ticks(Environment.ProcessId, 13) / TicksPerSecond;

    // The sum of two adjacent /proc/PID/stat fields, counted from the state field: 11 is utime and stime, 13 cutime and cstime.
    private static long Ticks(int pid, int first)
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

        // Fields after the parenthesised command: state is field 3, utime 14 and stime 15, cutime 16 and cstime 17.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[first], CultureInfo.InvariantCulture) + long.Parse(fields[first + 1], CultureInfo.InvariantCulture);
    }
}
