using Grpc.Core;

namespace Cluster.Coordinator.Limits;

/// <summary>
/// Who is calling, as the per-client limits count it: the authenticated token's name when the call carries one,
/// otherwise the peer's host (see <see cref="CallerIdentity"/>).
/// </summary>
internal interface ICallerIdentity
{
    /// <summary>A stable key for the caller of <paramref name="context"/>, never empty.</summary>
    string KeyOf(ServerCallContext context);
}
