namespace Cluster.Client.Local;

/// <summary>A local cluster could not be started: a child exited, or did not announce itself in time.</summary>
public sealed class LocalClusterException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LocalClusterException(string message, IReadOnlyList<string>? lastOutput = null)
        : base(message) => LastOutput = lastOutput ?? [];

    /// <summary>The last output lines of the process at fault, oldest first.</summary>
    public IReadOnlyList<string> LastOutput { get; }
}
