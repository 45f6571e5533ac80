using Polly;
using Polly.Retry;

namespace Cluster.Client.Local;

/// <summary>Tells the coordinator how a worker's process ended; a <see cref="ClusterException"/> means it could not be told.</summary>
internal delegate Task WorkerExitReporter(string workerId, int pid, int exitCode, string description, CancellationToken cancellationToken);

/// <summary>
/// Watches one worker process of a <see cref="LocalCluster"/>: when it exits, reports how it ended to the coordinator
/// and, with <see cref="LocalClusterOptions.RestartWorkers"/>, starts it again under the same id after an exponential
/// backoff with jitter. Once <see cref="Stop"/> has returned it starts nothing and reports nothing more.
/// </summary>
internal sealed class WorkerSupervisor : IDisposable
{
    private readonly string _workerId;
    private readonly Func<ISupervisedProcess> _restart;
    private readonly WorkerExitReporter _report;
    private readonly LocalClusterOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private ISupervisedProcess? _current;
    private bool _stopped;

    private WorkerSupervisor(string workerId, ISupervisedProcess first, Func<ISupervisedProcess> restart, WorkerExitReporter report, LocalClusterOptions options)
    {
        _workerId = workerId;
        _current = first;
        _restart = restart;
        _report = report;
        _options = options;
    }

    /// <summary>Ends when stopped, or (without restarts) once the worker's exit has been reported. Never faults.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Starts watching <paramref name="first"/>; <paramref name="restart"/> starts a replacement with the same id.</summary>
    public static WorkerSupervisor Start(
        string workerId, ISupervisedProcess first, Func<ISupervisedProcess> restart, WorkerExitReporter report, LocalClusterOptions options)
    {
        var supervisor = new WorkerSupervisor(workerId, first, restart, report, options);
        supervisor.Completion = supervisor.RunAsync();
        return supervisor;
    }

    /// <summary>Stops watching. Idempotent; the process itself is left alone (its owner kills it).</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
        }

        _stopping.Cancel();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var restarts = new ResiliencePipelineBuilder { TimeProvider = _options.TimeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<WorkerExitedException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RestartDelay,
                MaxDelay = _options.MaxRestartDelay,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    _options.Log?.Invoke($"[supervisor] restarting worker {_workerId} in {args.RetryDelay.TotalMilliseconds:0} ms");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        try
        {
            await restarts.ExecuteAsync(WatchOnceAsync, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped: the expected end while restarts are on.
        }
        catch (LocalClusterException e)
        {
            _options.Log?.Invoke($"[supervisor] cannot restart worker {_workerId}: {e.Message}");
        }
    }

    /// <summary>Waits for one exit of the worker (starting it first if it is a restart) and reports it.</summary>
    private async ValueTask WatchOnceAsync(CancellationToken cancellationToken)
    {
        ISupervisedProcess worker;
        lock (_gate)
        {
            // Started under the lock that Stop takes, so that no worker is started after Stop has returned.
            if (_stopped)
            {
                return;
            }

            worker = _current ??= _restart();
        }

        await worker.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _current = null;
            if (_stopped)
            {
                return;
            }
        }

        await ReportExitAsync(worker, cancellationToken).ConfigureAwait(false);
        if (_options.RestartWorkers)
        {
            throw new WorkerExitedException();
        }
    }

    private async Task ReportExitAsync(ISupervisedProcess exited, CancellationToken cancellationToken)
    {
        var code = exited.ExitCode ?? -1;
        var description = ExitDescription.Of(code);
        _options.Log?.Invoke($"[supervisor] worker {_workerId} (pid {exited.Pid}) {description}");
        try
        {
            await _report(_workerId, exited.Pid, code, description, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e)
        {
            // The coordinator may be down too (or restarting); the report is a courtesy, the restart is what matters.
            _options.Log?.Invoke($"[supervisor] could not report the exit of worker {_workerId}: {e.Message}");
        }
    }

    /// <summary>Thrown to the retry strategy to have the worker started again.</summary>
    private sealed class WorkerExitedException : Exception;
}
