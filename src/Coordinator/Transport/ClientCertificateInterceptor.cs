using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Cluster.Coordinator.Transport;

/// <summary>
/// With mutual TLS, a worker joins only over a connection that presented a client certificate (Kestrel has already
/// checked it chains to the client CA); other calls are left to the token check, so clients and health probes need none.
/// </summary>
internal sealed class ClientCertificateInterceptor(TlsSetup tls) : Interceptor
{
    /// <summary>Full method name of the worker stream.</summary>
    public const string ConnectMethod = "/cluster.v1.WorkerService/Connect";

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        if (tls.WorkersNeedCertificate
            && string.Equals(context.Method, ConnectMethod, StringComparison.Ordinal)
            && context.GetHttpContext().Connection.ClientCertificate is null)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "A worker must present a client certificate signed by the coordinator's client CA (mutual TLS): start it with --client-cert and --client-key."));
        }

        return continuation(requestStream, responseStream, context);
    }
}
