using Grpc.Core;

namespace Cluster.Client;

/// <summary>
/// A call to the coordinator failed. The message is one sentence meant for users; <see cref="StatusCode"/> keeps the
/// gRPC status so that callers can tell an unreachable coordinator from a rejected request.
/// </summary>
public sealed class ClusterException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClusterException(string message, StatusCode statusCode, Exception? innerException = null)
        : base(message, innerException) => StatusCode = statusCode;

    /// <summary>The gRPC status the call ended with.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>Whether the coordinator could not be reached or did not answer in time.</summary>
    public bool IsUnreachable => StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded;

    /// <summary>Whether the connection failed because the two ends disagree on TLS, which trying again cannot mend.</summary>
    internal bool IsTransportMismatch { get; init; }
}
