namespace Cluster.Worker;

/// <summary>Entry point of the worker, callable from the executable and from the <c>cluster worker</c> verb.</summary>
public static class WorkerApp
{
    /// <summary>Runs the worker until it is stopped (Ctrl+C, SIGTERM, or the parent going away); returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        _ = args;
        _ = cancellationToken;
        throw new NotImplementedException("Being written.");
    }
}
