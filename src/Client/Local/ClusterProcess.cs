using System.ComponentModel;
using System.Diagnostics;
using Cluster.Processes;

namespace Cluster.Client.Local;

/// <summary>
/// A coordinator or worker child process of a <see cref="LocalCluster"/>. Its standard output and error are drained
/// for as long as it lives; the last lines are kept for error messages.
/// </summary>
public sealed class ClusterProcess : IDisposable, ISupervisedProcess
{
    private readonly Process _process;
    private readonly int _linesKept;
    private readonly Action<string>? _log;
    private readonly Lock _gate = new();
    private readonly Queue<string> _lines = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string?> Found)> _waiters = [];
    private bool _outputClosed;

    private ClusterProcess(string role, Process process, int linesKept, Action<string>? log)
    {
        Role = role;
        _process = process;
        _linesKept = Math.Max(1, linesKept);
        _log = log;
    }

    /// <summary>What the process is: <c>coordinator</c>, or <c>worker</c> followed by its id.</summary>
    public string Role { get; }

    /// <summary>Process id.</summary>
    public int Pid { get; private set; }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Exit code once exited, otherwise null.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>The last output lines (standard output and error, interleaved as received), oldest first.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Sends a POSIX signal (see <see cref="Signals"/>); false when the process is gone.</summary>
    public bool Signal(int signal) => !_process.HasExited && Signals.Send(Pid, signal);

    /// <summary>Kills the process (and anything it started) at once; does nothing when it has already exited.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // It exited between our look and the kill: the outcome wanted.
        }
    }

    /// <summary>Waits until the process has exited and its output has been read to the end.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    internal static ClusterProcess Start(
        string role, ProcessCommand command, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, int linesKept, Action<string>? log)
    {
        var info = new ProcessStartInfo(command.FileName)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            // The child watches this pipe (--exit-with-parent): when we die, even by SIGKILL, it reads EOF and exits.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in command.LeadingArgs.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        var child = new ClusterProcess(role, process, linesKept, log);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data, isStdout: true);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, isStdout: false);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new LocalClusterException($"Cannot start the {role} ('{command.FileName}'): {Sentences.Lower(e.Message)}.");
        }

        child.Pid = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for a standard-output line matching <paramref name="match"/> (also among lines already kept).</summary>
    /// <returns>The line, or null when the output ended (the process exited) first.</returns>
    internal Task<string?> WaitForLineAsync(Func<string, bool> match, CancellationToken cancellationToken)
    {
        var found = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var earlier = _lines.FirstOrDefault(match);
            if (earlier is not null || _outputClosed)
            {
                return Task.FromResult(earlier);
            }

            _waiters.Add((match, found));
        }

        return found.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The kept output as one indented block, for error messages.</summary>
    internal string OutputTail(int lines = 20)
    {
        var output = Output;
        return output.Count == 0 ? "  (no output)" : string.Join(Environment.NewLine, output.TakeLast(lines).Select(l => "  " + l));
    }

    private void OnLine(string? line, bool isStdout)
    {
        List<TaskCompletionSource<string?>> completed = [];
        lock (_gate)
        {
            if (line is null)
            {
                if (isStdout)
                {
                    _outputClosed = true;
                    completed.AddRange(_waiters.Select(w => w.Found));
                    _waiters.Clear();
                }
            }
            else
            {
                _lines.Enqueue(line);
                while (_lines.Count > _linesKept)
                {
                    _lines.Dequeue();
                }

                if (isStdout)
                {
                    completed.AddRange(_waiters.Where(w => w.Match(line)).Select(w => w.Found));
                    _waiters.RemoveAll(w => w.Match(line));
                }
            }
        }

        foreach (var found in completed)
        {
            found.TrySetResult(line);
        }

        if (line is not null)
        {
            _log?.Invoke($"[{Role}] {line}");
        }
    }
}
