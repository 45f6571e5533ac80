namespace Cluster.Coordinator.Membership;

/// <summary>
/// Something a worker must be told besides new work. Queued on its <see cref="WorkerSession"/> from any thread and
/// written, before the next batch of work, by the session's send loop, which alone turns it into a protocol message.
/// </summary>
internal abstract record SessionControl;

/// <summary>Stop these attempts if they run, drop them if queued; no result is expected.</summary>
internal sealed record CancelAttempts(IReadOnlyList<AttemptRef> Attempts) : SessionControl;

/// <summary>A job reached a final state: the worker may drop its executor and anything cached for it.</summary>
internal sealed record CloseJob(string JobId) : SessionControl;

/// <summary>Take the stacks of the compute threads running these attempts and answer request <paramref name="RequestId"/>.</summary>
internal sealed record RequestStacks(long RequestId, IReadOnlyList<AttemptRef> Attempts) : SessionControl;

/// <summary>Names one chunk attempt.</summary>
internal readonly record struct AttemptRef(string JobId, long Chunk, int Attempt);
