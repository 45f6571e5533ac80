using Cluster.Contracts.V1;
using Cluster.Coordinator.Membership;

namespace Cluster.Coordinator.Dispatch;

/// <summary>The protocol messages of a session's control items and of its join's answer.</summary>
internal static class ControlMessages
{
    public static CoordinatorMessage JoinAccepted(WorkerSession session, TimeSpan heartbeatInterval, TimeSpan lease, long epoch, string localProbePath) => new()
    {
        JoinAccepted = new JoinAccepted
        {
            HeartbeatIntervalMs = (int)heartbeatInterval.TotalMilliseconds,
            LeaseMs = (int)lease.TotalMilliseconds,
            SessionId = session.SessionId,
            Epoch = epoch,
            LocalProbePath = localProbePath,
        },
    };

    public static CoordinatorMessage ToMessage(SessionControl control) => control switch
    {
        CancelAttempts cancel => new CoordinatorMessage { Cancel = new CancelChunks { Chunks = { cancel.Attempts.Select(ToRef) } } },
        CloseJob closed => new CoordinatorMessage { JobClosed = new JobClosed { JobId = closed.JobId } },
        RequestStacks stacks => new CoordinatorMessage { StackRequest = new StackRequest { RequestId = stacks.RequestId, Attempts = { stacks.Attempts.Select(ToRef) } } },
        _ => throw new ArgumentOutOfRangeException(nameof(control), control, "not a known control item"),
    };

    private static ChunkRef ToRef(AttemptRef attempt) =>
        new() { JobId = attempt.JobId, ChunkIndex = attempt.Chunk, Attempt = attempt.Attempt };
}
