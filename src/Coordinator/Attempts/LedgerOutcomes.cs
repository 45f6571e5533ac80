using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Membership;

namespace Cluster.Coordinator.Attempts;

/// <summary>A result the ledger accepted: the first success of its chunk, to be merged exactly once.</summary>
internal readonly record struct AcceptedChunk(Job Job, long Chunk, ReadOnlyMemory<byte> Output);

/// <summary>A job that must fail: a chunk ran out of attempts or was lost with too many workers.</summary>
internal readonly record struct JobToFail(Job Job, string Error);

/// <summary>An attempt that lost to another attempt of its chunk; its worker is told to stop it.</summary>
internal readonly record struct LosingAttempt(WorkerSession Session, AttemptRef Attempt);

/// <summary>
/// What applying a batch of results left for the caller to do once the dispatch lock is released. Lists nothing
/// happened for stay <see langword="null"/>, so the common batch (all accepted, no losers) allocates one list.
/// </summary>
/// <param name="Accepted">Outputs to merge, in arrival order.</param>
/// <param name="Losers">Attempts to cancel.</param>
/// <param name="JobsToFail">Jobs whose chunk failed its last allowed attempt.</param>
/// <param name="Events">Job events to record before the outputs are merged (a backup won, a worker was quarantined).</param>
/// <param name="Requeued">Whether a chunk went back to its queue (another session may take it).</param>
/// <param name="Forged">A result for an attempt the worker was never given, if one came (the rest of its batch was ignored).</param>
internal readonly record struct ResultsOutcome(
    List<AcceptedChunk> Accepted,
    List<LosingAttempt>? Losers,
    List<JobToFail>? JobsToFail,
    List<(Job Job, string Text)>? Events,
    bool Requeued,
    ForgedResult? Forged = null);

/// <summary>A result for an attempt its worker was never given; <paramref name="Job"/> is the job it names, if that exists.</summary>
internal sealed record ForgedResult(Job Job, long Chunk, int Attempt);

/// <summary>What a worker's departure left for the caller to do once the dispatch lock is released.</summary>
/// <param name="Lost">Per job, how many of its running attempts went with the worker.</param>
/// <param name="JobsToFail">Jobs with a chunk lost with too many workers.</param>
internal sealed record LossOutcome(IReadOnlyList<(Job Job, int Count)> Lost, IReadOnlyList<JobToFail> JobsToFail);
