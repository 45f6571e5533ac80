namespace Cluster.Coordinator.Limits;

/// <summary>
/// A worker broke the protocol (a second join, a malformed result, a result for an attempt it was never given): its
/// session ends and the call fails with <c>InvalidArgument</c> (or <c>PermissionDenied</c> for a forgery) carrying
/// <see cref="Exception.Message"/>, which names the field and the rule.
/// </summary>
internal sealed class WorkerProtocolException : Exception
{
    public WorkerProtocolException()
    {
    }

    public WorkerProtocolException(string message)
        : base(message)
    {
    }

    public WorkerProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The worker sent a result for an attempt it was never given (as opposed to a stale one it held once).</summary>
    public bool Forged { get; init; }
}
