namespace Cluster.Client.Local;

/// <summary>
/// The supervisors of a local cluster's workers, stopped together: once <see cref="Stop"/> has returned, none of them
/// starts a worker again, including one added afterwards (it is stopped as it is added).
/// </summary>
internal sealed class WorkerSupervisors : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<WorkerSupervisor> _supervisors = [];
    private bool _stopped;

    public void Add(WorkerSupervisor supervisor)
    {
        lock (_gate)
        {
            _supervisors.Add(supervisor);
            if (!_stopped)
            {
                return;
            }
        }

        supervisor.Stop();
    }

    /// <summary>Stops every supervisor. Idempotent.</summary>
    public void Stop()
    {
        foreach (var supervisor in MarkStopped())
        {
            supervisor.Stop();
        }
    }

    /// <summary>Stops every supervisor and waits up to <paramref name="timeout"/> for them to end.</summary>
    public async Task StopAsync(TimeSpan timeout, TimeProvider timeProvider)
    {
        Stop();
        try
        {
            await Task.WhenAll(MarkStopped().Select(s => s.Completion)).WaitAsync(timeout, timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A supervisor stuck in a report call; its process is killed regardless.
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var supervisor in MarkStopped())
        {
            supervisor.Dispose();
        }
    }

    /// <summary>Marks the set stopped, so that <see cref="Add"/> stops latecomers; returns the supervisors so far.</summary>
    private List<WorkerSupervisor> MarkStopped()
    {
        lock (_gate)
        {
            _stopped = true;
            return [.. _supervisors];
        }
    }
}
