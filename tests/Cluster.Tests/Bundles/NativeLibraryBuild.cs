using System.Diagnostics;

namespace Cluster.Tests.Bundles;

/// <summary>Builds the native library the <c>Native</c> test bundle calls, with the system's C compiler.</summary>
internal static class NativeLibraryBuild
{
    /// <summary>The C compiler on PATH, or null.</summary>
    public static string? Cc { get; } = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(folder => Path.Combine(folder, "cc"))
        .FirstOrDefault(File.Exists);

    /// <summary>Compiles <c>libclustertestnative.so</c> (<c>cluster_test_square(v) = v * v</c>) into <paramref name="folder"/>.</summary>
    public static async Task<string> BuildAsync(string folder)
    {
        var source = Path.Combine(folder, "square.c");
        var library = Path.Combine(folder, "libclustertestnative.so");
        await File.WriteAllTextAsync(source, "long cluster_test_square(long value) { return value * value; }\n");
        using var cc = Process.Start(new ProcessStartInfo(Cc!, ["-shared", "-fPIC", "-o", library, source]) { RedirectStandardError = true })!;
        var errors = await cc.StandardError.ReadToEndAsync();
        await cc.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(cc.ExitCode == 0, $"cc failed: {errors}");
        return library;
    }
}
