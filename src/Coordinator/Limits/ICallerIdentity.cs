using Grpc.Core;

namespace Cluster.Coordinator.Limits;

/// <summary>
/// Who is calling, as the per-client limits count it. The seam authentication fills: once a call carries an
/// authenticated name, that name is the client; until then it is the peer's IP address.
/// </summary>
internal interface ICallerIdentity
{
    /// <summary>A stable key for the caller of <paramref name="context"/>, never empty.</summary>
    string KeyOf(ServerCallContext context);
}
