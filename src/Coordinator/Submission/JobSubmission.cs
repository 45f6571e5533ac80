namespace Cluster.Coordinator.Submission;

/// <summary>
/// What a client asks to run, before any check: the API builds it from the protocol's JobSpec, the
/// <see cref="JobSubmitter"/> validates it field by field.
/// </summary>
/// <param name="Kind">Job kind name.</param>
/// <param name="Name">Display name (may be empty).</param>
/// <param name="Chunks">Chunks asked for, or 0 to let the kind or the coordinator decide.</param>
/// <param name="ChunkSize">Size of a chunk in the kind's unit, or 0; not together with <paramref name="Chunks"/>.</param>
/// <param name="MaxAttempts">Attempts per chunk before the job fails, or 0 for the coordinator's default.</param>
/// <param name="Parameters">Raw parameter values (long, double, string or bool); <see langword="null"/> where the client set none.</param>
internal sealed record JobSubmission(
    string Kind,
    string Name,
    long Chunks,
    long ChunkSize,
    int MaxAttempts,
    IReadOnlyDictionary<string, object?> Parameters)
{
    /// <summary>The bundle holding the kind (its SHA-256), or empty for a kind the coordinator knows.</summary>
    public string BundleId { get; init; } = string.Empty;

    /// <summary>The input by reference (<c>JobSpec.input_url</c>), read by the workers themselves; empty when uploaded or none.</summary>
    public string InputUrl { get; init; } = string.Empty;

    /// <summary>
    /// The declared length of the uploaded input (<c>JobSpec.input_length</c>), or 0 when unknown: with it, the job is
    /// planned at once and its chunks dispatched as their bytes arrive.
    /// </summary>
    public long InputLength { get; init; }

    /// <summary>Name of the token that submits the job; empty for an anonymous caller.</summary>
    public string Owner { get; init; } = string.Empty;
}
