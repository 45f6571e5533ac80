using System.ComponentModel;
using System.Diagnostics;

namespace Cluster.Bench.Infrastructure;

/// <summary>
/// Runs a program to its end, timing it from the launch: when each standard-output line arrived and when it exited.
/// The program (and anything it started) is killed if the wait is cancelled or times out.
/// </summary>
internal static class TimedProcess
{
    /// <summary>What a run printed and when.</summary>
    /// <param name="ExitCode">The exit code.</param>
    /// <param name="Lines">Standard-output lines with the time since launch they arrived at.</param>
    /// <param name="Errors">Standard-error lines.</param>
    /// <param name="Wall">Launch to exit.</param>
    public sealed record Result(int ExitCode, IReadOnlyList<(TimeSpan At, string Line)> Lines, IReadOnlyList<string> Errors, TimeSpan Wall);

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var lines = new List<(TimeSpan, string)>();
        var errors = new List<string>();
        using var process = new Process { StartInfo = info };
        var clock = new Stopwatch();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Add(lines, (clock.Elapsed, e.Data));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Add(errors, e.Data);
            }
        };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        clock.Start();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish within {timeout.TotalSeconds:0} s.");
        }
        finally
        {
            Kill(process);
        }

        var wall = clock.Elapsed;
        lock (lines)
        {
            lock (errors)
            {
                return new Result(process.ExitCode, [.. lines], [.. errors], wall);
            }
        }
    }

    private static void Add<T>(List<T> list, T item)
    {
        lock (list)
        {
            list.Add(item);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // It exited between the look and the kill.
        }
    }
}
