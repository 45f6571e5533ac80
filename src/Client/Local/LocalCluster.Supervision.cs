using Polly;
using Polly.Retry;

namespace Cluster.Client.Local;

/// <summary>Watches each worker process: reports how it ended to the coordinator and, if asked, starts it again.</summary>
public sealed partial class LocalCluster
{
    private readonly CancellationTokenSource _supervision = new();
    private readonly List<Task> _supervisors = [];
    private volatile bool _stopping;

    private void Supervise(string id, ClusterProcess first, IReadOnlyDictionary<string, string>? environment)
    {
        var restart = new ResiliencePipelineBuilder { TimeProvider = _options.TimeProvider }
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
                    _options.Log?.Invoke($"[supervisor] restarting worker {id} in {args.RetryDelay.TotalMilliseconds:0} ms");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        var current = first;
        var task = restart.ExecuteAsync(
            async token =>
            {
                if (_stopping)
                {
                    return;
                }

                current ??= LaunchWorker(id, environment);
                await current.WaitForExitAsync(token).ConfigureAwait(false);
                var exited = current;
                current = null;
                if (_stopping)
                {
                    return;
                }

                await ReportExitAsync(id, exited, token).ConfigureAwait(false);
                if (_options.RestartWorkers)
                {
                    throw new WorkerExitedException();
                }
            },
            _supervision.Token).AsTask();
        lock (_gate)
        {
            _supervisors.Add(task);
        }
    }

    private async Task ReportExitAsync(string id, ClusterProcess exited, CancellationToken cancellationToken)
    {
        var code = exited.ExitCode ?? -1;
        var description = ExitDescription.Of(code);
        _options.Log?.Invoke($"[supervisor] worker {id} (pid {exited.Pid}) {description}");
        try
        {
            using var client = CreateClient(new ClusterClientOptions { CallTimeout = TimeSpan.FromSeconds(5), TimeProvider = _options.TimeProvider });
            await client.ReportWorkerExitAsync(id, exited.Pid, code, description, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e)
        {
            // The coordinator may be down too (or restarting); the report is a courtesy, the restart is what matters.
            _options.Log?.Invoke($"[supervisor] could not report the exit of worker {id}: {e.Message}");
        }
    }

    private async Task StopSupervisionAsync()
    {
        _stopping = true;
        await _supervision.CancelAsync().ConfigureAwait(false);
        Task[] supervisors;
        lock (_gate)
        {
            supervisors = [.. _supervisors];
        }

        try
        {
            await Task.WhenAll(supervisors).WaitAsync(TimeSpan.FromSeconds(5), _options.TimeProvider).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cancelled above: every supervisor ends this way.
        }
        catch (TimeoutException)
        {
            // A supervisor stuck in a report call; its process is killed regardless.
        }
    }

    private sealed class WorkerExitedException : Exception;
}
