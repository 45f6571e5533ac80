using Cluster.Worker.Hosting;
using Grpc.Net.Client;

namespace Cluster.Worker.Connection;

/// <summary>The gRPC channel to the coordinator, set up for a long-lived stream that carries payloads of several MiB.</summary>
internal static class CoordinatorChannel
{
    public static GrpcChannel Create(WorkerOptions options) =>
        GrpcChannel.ForAddress(options.Coordinator, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(5),
                KeepAlivePingDelay = TimeSpan.FromSeconds(10),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                EnableMultipleHttp2Connections = true,
                // Multi-MiB payloads stream without waiting on window updates (the default starts at 64 KiB).
                InitialHttp2StreamWindowSize = 16 << 20,
                SslOptions = CoordinatorTls.Create(options) ?? new(),
            },
            // The channel's own reconnect backoff (by default up to 120 s) must not outlast the join retries, or a
            // rejoin after a coordinator restart fails at once with the old "connection refused" until it expires.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = options.ReconnectMaxDelay,
            MaxReceiveMessageSize = 64 << 20,
            MaxSendMessageSize = 64 << 20,
        });
}
