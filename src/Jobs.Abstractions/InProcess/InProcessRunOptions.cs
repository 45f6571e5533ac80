namespace Cluster.Jobs.InProcess;

/// <summary>How <see cref="InProcessJobRunner"/> splits and runs a job.</summary>
public sealed record InProcessRunOptions
{
    /// <summary>Compute threads; defaults to one per core.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Chunks asked for, as with <c>--chunks</c>; 0 leaves it to <see cref="DefaultChunks"/>.</summary>
    public long Chunks { get; init; }

    /// <summary>Chunk size asked for, as with <c>--chunk-size</c>; 0 for none.</summary>
    public long ChunkSize { get; init; }

    /// <summary>Chunks when none were asked for; 0 means four per thread, like a coordinator's default.</summary>
    public long DefaultChunks { get; init; }

    /// <summary>The most chunks a job may have; 0 for no limit.</summary>
    public long MaxChunks { get; init; }

    /// <summary>
    /// Whether the chunks read the input by reference, as workers do with <c>--input-url</c> (the plan sees only its
    /// length, each chunk reads its own range); default <see langword="false"/>: the plan's payloads carry the bytes.
    /// </summary>
    public bool InputByReference { get; init; }

    /// <summary>When set, chunks run in an order shuffled with this seed instead of in index order.</summary>
    public int? ShuffleSeed { get; init; }

    /// <summary>The chunking request a coordinator with these settings would pass to a kind.</summary>
    public ChunkingRequest ToChunkingRequest() =>
        new(Chunks, ChunkSize, DefaultChunks > 0 ? DefaultChunks : 4L * Math.Max(1, Threads), MaxChunks);
}
