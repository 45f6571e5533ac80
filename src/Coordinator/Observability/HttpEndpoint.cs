using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cluster.Coordinator.Observability;

/// <summary>
/// The coordinator's HTTP port (<c>Coordinator:HttpPort</c>): HTTP/1.1 for <c>/metrics</c>, beside the gRPC port.
/// Connections to it carry <see cref="HttpPortMarker"/>, so that its paths answer there only and gRPC stays on its own port.
/// </summary>
internal sealed class HttpEndpoint
{
    private ListenOptions? _listen;

    /// <summary>Whether the coordinator has an HTTP port at all.</summary>
    public bool Enabled => _listen is not null;

    /// <summary>The bound address once the server has started (Kestrel puts the port it picked into the endpoint), else <see langword="null"/>.</summary>
    public IPEndPoint? BoundEndPoint => _listen?.IPEndPoint;

    /// <summary>Listens on <paramref name="address"/>:<paramref name="port"/> and marks every connection to it.</summary>
    public void Listen(KestrelServerOptions kestrel, IPAddress address, int port, Action<ListenOptions> secure)
    {
        kestrel.Listen(address, port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            secure(listen);
            listen.Use(next => connection =>
            {
                connection.Features.Set(HttpPortMarker.Instance);
                return next(connection);
            });
            _listen = listen;
        });
    }

    /// <summary>The URL to print: <c>http://127.0.0.1:7401</c>, or https with TLS.</summary>
    public string? Url(bool tls) => BoundEndPoint is { } bound ? $"{(tls ? "https" : "http")}://{bound}" : null;
}

/// <summary>A connection feature: this connection came in on the HTTP port.</summary>
internal sealed class HttpPortMarker
{
    public static readonly HttpPortMarker Instance = new();

    private HttpPortMarker()
    {
    }
}
