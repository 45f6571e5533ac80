using System.Runtime.InteropServices;

namespace Cluster.Worker.Execution;

/// <summary>Pins the calling thread to one CPU (Linux only), so a compute thread keeps its core and its caches.</summary>
internal static partial class CpuAffinity
{
    public static bool TryPinCurrentThread(int cpu)
    {
        if (!OperatingSystem.IsLinux() || cpu is < 0 or > 1023)
        {
            return false;
        }

        Span<ulong> mask = stackalloc ulong[16];
        mask.Clear();
        mask[cpu / 64] = 1UL << (cpu % 64);

        // pid 0 means the calling thread for sched_setaffinity.
        return SchedSetAffinity(0, (nuint)(mask.Length * sizeof(ulong)), ref MemoryMarshal.GetReference(mask)) == 0;
    }

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nuint cpusetsize, ref ulong mask);
}
