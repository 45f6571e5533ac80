using System.Diagnostics;
using System.Text;

namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>
/// Runs the <c>dotnet</c> CLI itself (<c>pack</c>, <c>new</c>, <c>build</c>, <c>test</c>) as a user would, to its end
/// within a bound; past it the whole process tree is killed. The test host's own MSBuild and VSTest variables are not
/// handed down, so the child sees a plain shell's environment.
/// </summary>
internal static class DotnetCli
{
    /// <summary>The repository root (where Cluster.sln is).</summary>
    public static string Root => Executables.Root;

    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="workingDirectory"/>; returns its exit code and its output and errors interleaved.</summary>
    public static async Task<(int Code, string Output)> RunAsync(
        string workingDirectory, TimeSpan timeout, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // No MSBuild node outlives the command, so a kill on timeout leaves nothing behind.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            return (-1, $"dotnet {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s:{Environment.NewLine}{Text(output)}");
        }

        // WaitForExitAsync returns once the output pipes are drained too.
        return (process.ExitCode, Text(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
