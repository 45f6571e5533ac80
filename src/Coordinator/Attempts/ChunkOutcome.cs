namespace Cluster.Coordinator.Attempts;

/// <summary>How a chunk attempt ended, as its worker reported it.</summary>
internal enum ChunkOutcomeKind
{
    /// <summary>The report named no outcome: the attempt's slot is freed and nothing else happens.</summary>
    None,

    /// <summary>The attempt produced an output.</summary>
    Succeeded,

    /// <summary>The attempt threw.</summary>
    Failed,

    /// <summary>The worker did not start the attempt (it drains, or was told to cancel); not a failure.</summary>
    Released,
}

/// <summary>
/// One attempt's result as the coordinator's domain sees it. A struct, mapped from the protocol in a loop into a
/// buffer reused per session, so a batch of thousands of results allocates nothing per result.
/// </summary>
/// <param name="JobId">Job the chunk belongs to.</param>
/// <param name="Chunk">Chunk index.</param>
/// <param name="Attempt">Attempt number from the assignment; decides, with the session, whether the result still counts.</param>
/// <param name="Kind">How the attempt ended.</param>
/// <param name="Output">The chunk's output (when it succeeded), still in the received message's memory.</param>
/// <param name="ElapsedMicros">Time the attempt spent executing.</param>
/// <param name="Failure">What was thrown (when it failed).</param>
internal readonly record struct ChunkOutcome(
    string JobId,
    long Chunk,
    int Attempt,
    ChunkOutcomeKind Kind,
    ReadOnlyMemory<byte> Output,
    long ElapsedMicros,
    AttemptFailure? Failure)
{
    /// <summary>
    /// The coordinator epoch under which the attempt was assigned, when the worker carried the result over from an
    /// earlier session; 0 when it comes on the session that assigned it (see <c>ChunkResult.assigned_epoch</c>).
    /// </summary>
    public long AssignedEpoch { get; init; }
}

/// <summary>What a failed attempt threw.</summary>
internal sealed record AttemptFailure(string ExceptionType, string Message, string StackTrace);
