using Cluster.Contracts.V1;
using Cluster.Coordinator.Membership;

namespace Cluster.Coordinator.Api;

/// <summary>Conversions between workers and the protocol's messages, in both services.</summary>
internal static class WorkerMapping
{
    /// <summary>A connected worker; its status is one of those documented on <c>WorkerInfo.status</c>.</summary>
    public static WorkerInfo ToInfo(WorkerSession session, DateTimeOffset? quarantinedUntil, int inFlight) => new()
    {
        WorkerId = session.WorkerId,
        Host = session.Host,
        Pid = session.Pid,
        Threads = session.Threads,
        InFlight = inFlight,
        Completed = session.Completed,
        Failed = session.Failed,
        JoinedUnixMs = session.JoinedAt.ToUnixTimeMilliseconds(),
        LastSeenUnixMs = session.LastSeen.ToUnixTimeMilliseconds(),
        Status = session.Draining ? "draining"
            : quarantinedUntil is { } until ? $"quarantined until {until:HH:mm:ss}"
            : "connected",
        DepartureReason = session.DepartureReason ?? string.Empty,
    };

    /// <summary>A departed worker; it holds nothing any more, so nothing is in flight.</summary>
    public static WorkerInfo ToInfo(DepartedWorker worker) => new()
    {
        WorkerId = worker.WorkerId,
        Host = worker.Host,
        Pid = worker.Pid,
        Threads = worker.Threads,
        InFlight = 0,
        Completed = worker.Completed,
        Failed = worker.Failed,
        JoinedUnixMs = worker.JoinedAt.ToUnixTimeMilliseconds(),
        LastSeenUnixMs = worker.LastSeen.ToUnixTimeMilliseconds(),
        Status = "departed",
        DepartureReason = worker.DepartureReason,
    };

    public static WorkerJoin ToJoin(JoinRequest join) => new(join.WorkerId, join.Host, join.Pid, join.Threads);
}
