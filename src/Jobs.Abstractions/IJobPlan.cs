using System.Buffers;

namespace Cluster.Jobs;

/// <summary>A job split into chunks, held by the coordinator for the job's lifetime.</summary>
/// <remarks>
/// Payloads are produced lazily, when a chunk is dispatched, so that a job of millions of chunks never holds
/// millions of payloads. <see cref="WritePayload"/> may be called from several threads at once and more than once
/// for the same chunk (retries); it must write the same bytes each time.
/// </remarks>
public interface IJobPlan
{
    /// <summary>Number of chunks, at least 1.</summary>
    long ChunkCount { get; }

    /// <summary>Writes what a worker needs to execute chunk <paramref name="chunkIndex"/> (its range, its data).</summary>
    void WritePayload(long chunkIndex, IBufferWriter<byte> writer);

    /// <summary>Creates the merger that folds chunk outputs into the result.</summary>
    IJobMerger CreateMerger();
}

/// <summary>Folds chunk outputs into a job's result, in bounded memory where the merge is a reduction.</summary>
/// <remarks>
/// The coordinator calls <see cref="Merge"/> exactly once per chunk, never concurrently, in no particular order.
/// The result must not depend on that order.
/// </remarks>
public interface IJobMerger
{
    /// <summary>Folds one chunk's output in.</summary>
    void Merge(long chunkIndex, ReadOnlySpan<byte> output);

    /// <summary>Called once, after every chunk was merged: produces the job's result.</summary>
    JobOutput Complete();
}

/// <summary>Worker side: executes chunks of one job. Used by several compute threads at once.</summary>
public interface IChunkExecutor
{
    /// <summary>
    /// Executes one chunk on the calling (dedicated compute) thread and writes its output.
    /// Long chunks should observe <paramref name="cancellationToken"/> now and then.
    /// </summary>
    void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken);
}
