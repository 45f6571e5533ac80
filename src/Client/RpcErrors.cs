using System.Security.Authentication;
using Grpc.Core;

namespace Cluster.Client;

/// <summary>Turns gRPC failures into <see cref="ClusterException"/>s whose message reads as one sentence.</summary>
internal static class RpcErrors
{
    public static ClusterException Translate(RpcException exception, Uri address, TimeSpan callTimeout)
    {
        var detail = Detail(exception);
        if (TransportMismatch(exception, address) is { } mismatch)
        {
            // No call got through a connection that does not agree on TLS: as unreachable as a refused connection.
            return new ClusterException(Sentences.End(mismatch), StatusCode.Unavailable, exception) { IsTransportMismatch = true };
        }

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

    /// <summary>
    /// Whether the status is the coordinator's own answer (an Internal one names what failed there, a full disk say),
    /// not the transport's failure: a status the client's transport made up carries the exception behind it.
    /// </summary>
    public static bool AnsweredByCoordinator(ClusterException exception) =>
        exception.InnerException is RpcException { StatusCode: StatusCode.Internal, Status.DebugException: null };

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

    /// <summary>
    /// One sentence for a connection that failed on TLS rather than on the network: plaintext against a TLS coordinator
    /// (it closes the connection at once), TLS against a plaintext one, an untrusted certificate, or a client certificate
    /// missing or refused. <see langword="null"/> when the failure is something else.
    /// </summary>
    private static string? TransportMismatch(RpcException exception, Uri address)
    {
        if (exception.StatusCode is not (StatusCode.Unavailable or StatusCode.Internal))
        {
            return null;
        }

        var chain = new List<Exception>();
        for (var e = exception.Status.DebugException; e is not null; e = e.InnerException)
        {
            chain.Add(e);
        }

        var at = Display(address);
        var https = address.Scheme == Uri.UriSchemeHttps;
        if (!https)
        {
            // A TLS server closes a plaintext connection at once: the response ends, or, when the close beats the HTTP/2
            // settings exchange, the connection is never established (no established connection was lost here).
            return chain.Any(e => e is HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded } || IsHttp2HandshakeNotCompleted(e))
                ? $"The coordinator at {at} closed the connection at once, as one that serves TLS does: use an https:// address"
                : null;
        }

        if (chain.OfType<AuthenticationException>().FirstOrDefault() is { } authentication)
        {
            return authentication.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase)
                ? $"The coordinator at {at} presented a TLS certificate this client does not trust ({Sentences.Lower(authentication.Message)}): give the CA that signed it (--ca, or ClusterClientOptions.CaCertificateFile)"
                : $"The coordinator at {at} does not speak TLS ({Sentences.Lower(authentication.Message)}): if it serves plaintext, use an http:// address";
        }

        // A refused client certificate (TLS 1.3) surfaces after the handshake, as a stream that is closed or disposed.
        return chain.Any(e => e is ObjectDisposedException { ObjectName: "System.Net.Security.SslStream" })
            ? $"The coordinator at {at} closed the TLS connection: it requires a client certificate signed by its client CA (--client-cert and --client-key, or ClusterClientOptions.ClientCertificateFile and ClientKeyFile)"
            : null;
    }

    // SocketsHttpHandler gives this failure no error code of its own; its text is the only mark (English: the runtime's
    // resources are not localised here, InvariantGlobalization).
    private static bool IsHttp2HandshakeNotCompleted(Exception e) =>
        e is IOException or HttpRequestException && e.Message.Contains("did not complete the HTTP/2 handshake", StringComparison.Ordinal);

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
