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

    /// <summary>
    /// Whether the connection failed as one that disagrees on TLS does. A single call is not retried then (trying again
    /// gives the same answer, or a murkier one); a watch is, as a coordinator killed mid-stream looks the same.
    /// </summary>
    internal bool IsTransportMismatch { get; init; }
}
