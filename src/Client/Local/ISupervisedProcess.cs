namespace Cluster.Client.Local;

/// <summary>What a <see cref="WorkerSupervisor"/> needs of a worker process; a seam for tests, which fake it.</summary>
internal interface ISupervisedProcess
{
    /// <summary>Process id.</summary>
    int Pid { get; }

    /// <summary>Exit code once exited, otherwise null.</summary>
    int? ExitCode { get; }

    /// <summary>Waits until the process has exited.</summary>
    Task WaitForExitAsync(CancellationToken cancellationToken);
}
