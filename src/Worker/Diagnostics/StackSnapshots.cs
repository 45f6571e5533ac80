using System.Runtime.InteropServices;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Runtime;

namespace Cluster.Worker.Diagnostics;

/// <summary>
/// Takes the managed stacks of some of this process's own threads. A process cannot inspect its own live threads (it
/// would have to stop itself), so the runtime's dump writer (createdump, asked through the diagnostics IPC channel)
/// writes a small minidump of the worker to a temporary file, and ClrMD reads the stacks out of it with the running
/// runtime's own data access library. The threads are suspended only while the dump is written (about a second here);
/// the file (about 10 MB) is deleted at once.
/// </summary>
internal static class StackSnapshots
{
    /// <summary>Frames of each of <paramref name="managedThreadIds"/>, innermost first; threads not found are absent.</summary>
    /// <exception cref="InvalidOperationException">The dump could not be written or read; the message says why.</exception>
    public static IReadOnlyDictionary<int, IReadOnlyList<string>> Take(IReadOnlySet<int> managedThreadIds)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cluster-worker-stacks-{Environment.ProcessId}-{Guid.NewGuid():N}.dmp");
        try
        {
            try
            {
                new DiagnosticsClient(Environment.ProcessId).WriteDump(DumpType.Normal, file, logDumpGeneration: false);
            }
            catch (Exception ex) when (ex is ServerErrorException or ServerNotAvailableException or UnsupportedCommandException or IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"the worker could not write a dump of itself to take stacks ({ex.Message}); is {Path.GetTempPath()} writable and DOTNET_EnableDiagnostics not 0?", ex);
            }

            using var target = DataTarget.LoadDump(file);
            var clr = target.ClrVersions.Length > 0 ? target.ClrVersions[0] : throw new InvalidOperationException("the worker's dump holds no .NET runtime");

            // A minidump lacks the runtime's version resource, so ClrMD cannot match a DAC by version: the one beside the
            // running runtime is the right one by construction (the dump is of this very process).
            var dac = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), DacName);
            using var runtime = clr.CreateRuntime(dac, ignoreMismatch: true);
            var stacks = new Dictionary<int, IReadOnlyList<string>>();
            foreach (var thread in runtime.Threads.Where(t => managedThreadIds.Contains(t.ManagedThreadId)))
            {
                stacks[thread.ManagedThreadId] = [.. thread.EnumerateStackTrace().Where(f => f.Method is not null).Select(f => f.Method!.Signature ?? f.Method.Name ?? "?")];
            }

            return stacks;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string DacName =>
        OperatingSystem.IsWindows() ? "mscordaccore.dll" : OperatingSystem.IsMacOS() ? "libmscordaccore.dylib" : "libmscordaccore.so";
}
