using System.Globalization;

namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>Reads Linux's process table, to find a process's children and to see whether processes are gone.</summary>
internal static class ProcessTable
{
    public static IReadOnlyList<int> ChildrenOf(int pid) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0)
            .Where(p => p > 0 && ParentOf(p) == pid)];

    public static bool IsAlive(int pid)
    {
        // A zombie has exited; only its parent has yet to reap it.
        var status = Read($"/proc/{pid}/stat");
        return status is not null && StateOf(status) != 'Z';
    }

    public static async Task WaitUntilGoneAsync(IEnumerable<int> pids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var left = pids.ToList();
        while ((left = [.. left.Where(IsAlive)]).Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Processes still alive after {timeout}: {string.Join(", ", left)}");
            }

            await Task.Delay(50);
        }
    }

    private static int ParentOf(int pid)
    {
        var stat = Read($"/proc/{pid}/stat");
        if (stat is null)
        {
            return -1;
        }

        // Fields after the parenthesised command name: state, then ppid.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[1], CultureInfo.InvariantCulture);
    }

    private static char StateOf(string stat) => stat[stat.LastIndexOf(')') + 2];

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process ended between listing and reading.
            return null;
        }
    }
}
