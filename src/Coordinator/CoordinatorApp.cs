namespace Cluster.Coordinator;

/// <summary>Entry point of the coordinator, callable from the executable and from the <c>cluster coordinator</c> verb.</summary>
public static class CoordinatorApp
{
    /// <summary>Runs the coordinator until it is stopped (Ctrl+C, SIGTERM, or the parent going away); returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        _ = args;
        _ = cancellationToken;
        throw new NotImplementedException("Being written.");
    }
}
