using Cluster.IntegrationTests.Infrastructure;

namespace Cluster.IntegrationTests.FaultTolerance;

/// <summary>
/// A fact that mounts a small tmpfs (to fill it); skipped, with one line saying so, where mounting is refused (not root,
/// no CAP_SYS_ADMIN, no <c>mount</c>). The probe mounts and unmounts a 1 MiB tmpfs once per test process.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class TmpfsFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Refusal = new(Probe);

    public TmpfsFactAttribute()
    {
        if (Refusal.Value is { } why)
        {
            Skip = $"Mounting a tmpfs was refused ({why}): the disk-full test needs root or CAP_SYS_ADMIN to mount a small file system it can fill.";
        }
    }

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MiB on <paramref name="path"/> (created); throws with mount's words if refused.</summary>
    public static void Mount(string path, int megabytes)
    {
        Directory.CreateDirectory(path);
        var (code, text) = ToolProcess.Run("mount", ["-t", "tmpfs", "-o", $"size={megabytes}m,mode=0700", "tmpfs", path], TimeSpan.FromSeconds(30));
        if (code != 0)
        {
            throw new InvalidOperationException($"mount -t tmpfs on {path} failed ({code}): {text.Trim()}");
        }
    }

    /// <summary>Unmounts <paramref name="path"/> (lazily, so a file a killed process left open does not stop it).</summary>
    public static void Unmount(string path)
    {
        var (code, text) = ToolProcess.Run("umount", ["-l", path], TimeSpan.FromSeconds(30));
        if (code != 0)
        {
            throw new InvalidOperationException($"umount {path} failed ({code}): {text.Trim()}");
        }
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux() || ToolProcess.Find("mount") is null)
        {
            return "no Linux mount command";
        }

        var path = Path.Combine(Path.GetTempPath(), "cluster-tmpfs-probe-" + Guid.NewGuid().ToString("N"));
        try
        {
            Mount(path, 1);
            Unmount(path);
            return null;
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
        finally
        {
            Directory.Delete(path);
        }
    }
}
