using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Journal;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Submission;

/// <summary>
/// Where uploaded inputs are spooled: the data directory's <c>inputs</c> folder (mode 0700), else
/// <see cref="CoordinatorOptions.SpoolDirectory"/>, else a <c>cluster-coordinator-PID</c> folder in the temp folder.
/// </summary>
internal sealed class InputSpool(JobJournal journal, IOptions<CoordinatorOptions> options)
{
    /// <summary>The folder; created (owner only, off Windows) by whoever first writes in it.</summary>
    public string Directory { get; } = Path.GetFullPath(journal.Directory?.InputsPath ?? (string.IsNullOrEmpty(options.Value.SpoolDirectory)
        ? Path.Combine(Path.GetTempPath(), $"cluster-coordinator-{Environment.ProcessId}")
        : options.Value.SpoolDirectory));

    /// <summary>Creates <paramref name="folder"/> if it is missing: owner only (0700) off Windows, as the data directory.</summary>
    public static void Create(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(folder);
            return;
        }

        System.IO.Directory.CreateDirectory(folder, DataDirectory.OwnerOnly);
    }
}
