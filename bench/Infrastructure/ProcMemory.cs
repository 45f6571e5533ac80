using System.Globalization;

namespace Cluster.Bench.Infrastructure;

/// <summary>Peak resident memory (VmHWM) of a process, from Linux's /proc.</summary>
internal static class ProcMemory
{
    /// <summary>
    /// Resets the process's peak RSS to its current RSS (writing 5 to /proc/PID/clear_refs), so that the next
    /// <see cref="PeakBytes"/> covers only what happens in between. False when the kernel or permissions refuse.
    /// </summary>
    public static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>VmHWM in bytes.</summary>
    /// <exception cref="InvalidOperationException">The process is gone, or /proc has no VmHWM (not Linux).</exception>
    public static long PeakBytes(int pid)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{pid}/status");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cannot read the peak memory of process {pid}: {e.Message}", e);
        }

        var line = lines.FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"/proc/{pid}/status has no VmHWM line; peak memory is measured on Linux only.");
        var kib = line["VmHWM:".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Bytes in megabytes (10^6 bytes), the unit the goals are stated in.</summary>
    public static double ToMB(long bytes) => bytes / 1e6;
}
