using Cluster.Coordinator.Attempts;

namespace Cluster.Coordinator.Membership;

/// <summary>What a worker's message asks of its session.</summary>
internal enum WorkerInputKind
{
    /// <summary>Nothing beyond proof of life (a heartbeat, or a message this coordinator does not know).</summary>
    Alive,

    /// <summary>Outcomes of finished attempts.</summary>
    Results,

    /// <summary>The worker is shutting down: send it no more work.</summary>
    Drain,

    /// <summary>The stacks a stack request asked for (<see cref="WorkerInput.Stacks"/>).</summary>
    Stacks,

    /// <summary>The worker's answer to the join's local-read probe (<see cref="WorkerInput.ProbeToken"/>; why not in <see cref="WorkerInput.DrainReason"/>'s place).</summary>
    LocalReads,
}

/// <summary>
/// One message from a worker, mapped from the protocol by the API. <paramref name="Results"/> lives in a buffer the
/// reader reuses: it is valid until the next message is read.
/// </summary>
internal readonly record struct WorkerInput(WorkerInputKind Kind, ReadOnlyMemory<ChunkOutcome> Results, string DrainReason)
{
    /// <summary>The answer to a stack request, for <see cref="WorkerInputKind.Stacks"/>.</summary>
    public StackAnswer? Stacks { get; init; }

    /// <summary>The probe file's token as the worker read it, for <see cref="WorkerInputKind.LocalReads"/>; empty when it could not.</summary>
    public string ProbeToken { get; init; } = string.Empty;

    /// <summary>A heartbeat's CPU seconds and working set, when it reported them (see <see cref="WorkerSession.ReportUsage"/>).</summary>
    public (double CpuSeconds, long WorkingSetBytes)? Usage { get; init; }
}

/// <summary>
/// The coordinator's side of a worker's stream. Written only by the session's send loop (see Dispatch), which alone
/// turns work and control items into protocol messages.
/// </summary>
internal interface IWorkerSender
{
    /// <summary>Answers the join: the session's id and the heartbeat and lease it must keep.</summary>
    Task AcceptAsync(WorkerSession session, CancellationToken cancellationToken);

    /// <summary>Sends control items and work to the session until cancelled; throws when a write fails.</summary>
    Task RunAsync(WorkerSession session, CancellationToken cancellationToken);
}
