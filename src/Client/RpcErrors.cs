using Grpc.Core;

namespace Cluster.Client;

/// <summary>Turns gRPC failures into <see cref="ClusterException"/>s whose message reads as one sentence.</summary>
internal static class RpcErrors
{
    public static ClusterException Translate(RpcException exception, Uri address, TimeSpan callTimeout)
    {
        var detail = Detail(exception);
        var message = exception.StatusCode switch
        {
            StatusCode.Unavailable => $"Cannot reach the coordinator at {Display(address)}: {detail}",
            StatusCode.DeadlineExceeded => $"The coordinator at {Display(address)} did not answer within {callTimeout.TotalSeconds:0.#} s",
            StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.FailedPrecondition or StatusCode.AlreadyExists
                or StatusCode.OutOfRange or StatusCode.ResourceExhausted => detail,
            StatusCode.Unimplemented => $"The server at {Display(address)} is not a Cluster coordinator, or a different version: {detail}",
            _ => $"The coordinator at {Display(address)} failed the request ({exception.StatusCode}): {detail}",
        };
        return new ClusterException(Sentences.End(message), exception.StatusCode, exception);
    }

    /// <summary>Whether the call failed while connecting, so the coordinator cannot have seen it (safe to send again).</summary>
    public static bool NeverConnected(ClusterException exception)
    {
        for (Exception? e = (exception.InnerException as RpcException)?.Status.DebugException; e is not null; e = e.InnerException)
        {
            if (e is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused }
                || e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The address as users typed it, without the trailing slash <see cref="Uri"/> adds.</summary>
    public static string Display(Uri address) => address.ToString().TrimEnd('/');

    private static string Detail(RpcException exception)
    {
        // Connection failures carry the useful words ("Connection refused") in the innermost exception, not in Status.Detail.
        if (exception.StatusCode == StatusCode.Unavailable && exception.Status.DebugException is { } debug)
        {
            var inner = debug;
            while (inner.InnerException is not null)
            {
                inner = inner.InnerException;
            }

            return Sentences.Lower(inner.Message);
        }

        return string.IsNullOrWhiteSpace(exception.Status.Detail) ? exception.StatusCode.ToString() : exception.Status.Detail;
    }
}
