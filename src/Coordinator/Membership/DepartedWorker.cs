namespace Cluster.Coordinator.Membership;

/// <summary>A worker whose session ended, as it was when it left, and why.</summary>
internal sealed record DepartedWorker(
    string WorkerId,
    string Host,
    int Pid,
    int Threads,
    long Completed,
    long Failed,
    DateTimeOffset JoinedAt,
    DateTimeOffset LastSeen,
    string DepartureReason)
{
    /// <summary>The record of <paramref name="session"/> as it leaves.</summary>
    public static DepartedWorker Of(WorkerSession session) => new(
        session.WorkerId,
        session.Host,
        session.Pid,
        session.Threads,
        session.Completed,
        session.Failed,
        session.JoinedAt,
        session.LastSeen,
        session.DepartureReason ?? string.Empty);
}
