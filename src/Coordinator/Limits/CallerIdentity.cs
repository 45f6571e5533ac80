using Cluster.Coordinator.Security;
using Grpc.Core;

namespace Cluster.Coordinator.Limits;

/// <summary>
/// The caller as the per-client limits count it: the name of the token the call carried when the coordinator has
/// tokens (two users behind one address are two clients; one user on many connections is one), otherwise the peer's
/// host without its port (every connection of one host is one client).
/// </summary>
internal sealed class CallerIdentity : ICallerIdentity
{
    public string KeyOf(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TryGetCaller() is { Name.Length: > 0 } caller)
        {
            return "name:" + caller.Name;
        }

        return "peer:" + AuthFailureLog.HostOf(context.Peer);
    }
}
