using System.Runtime.InteropServices;

namespace Cluster.Bench.Infrastructure;

/// <summary>The machine the figures were measured on.</summary>
internal sealed record MachineInfo(int Cores, long MemoryBytes, string Os, string DotNet, string Cpu, string Host)
{
    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        CpuModel(),
        Environment.MachineName);

    /// <summary>The 1-minute load average (other processes compete for the same cores), or -1 where unknown.</summary>
    public static double LoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path)
            ? double.Parse(File.ReadAllText(path).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)
            : -1;
    }

    public string Summary =>
        $"{Cores} cores ({Cpu}), {MemoryBytes / (1024.0 * 1024 * 1024):0.#} GiB, {Os}, {DotNet}";

    private static string CpuModel()
    {
        const string path = "/proc/cpuinfo";
        if (!File.Exists(path))
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
