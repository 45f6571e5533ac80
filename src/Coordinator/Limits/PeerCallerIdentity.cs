using Grpc.Core;

namespace Cluster.Coordinator.Limits;

/// <summary>
/// The caller is the authenticated user's name when the call carries one (<c>HttpContext.User.Identity.Name</c>),
/// otherwise the peer's IP address (not its port: every connection of one host is one client).
/// </summary>
internal sealed class PeerCallerIdentity : ICallerIdentity
{
    public string KeyOf(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        if (http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name })
        {
            return "name:" + name;
        }

        return http.Connection.RemoteIpAddress is { } address ? "peer:" + address : "peer:" + context.Peer;
    }
}
