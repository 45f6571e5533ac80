using System.Buffers;
using Cluster.Jobs.Splitting;

namespace Cluster.Jobs.Typed;

/// <summary>
/// A typed job kind whose chunks are values: a range of numbers, a batch of items, anything a
/// <see cref="Splitter{TChunk}"/> produces. Implement <see cref="Split"/>, <see cref="Execute"/>,
/// <see cref="TypedJobKind{TParameters, TChunkResult, TResult}.Empty"/> and <see cref="TypedJobKind{TParameters, TChunkResult, TResult}.Merge"/>;
/// the SDK reads the parameters, validates them and serialises chunks and results.
/// </summary>
/// <typeparam name="TParameters">The parameters record (see <see cref="TypedJobKind{TParameters, TChunkResult, TResult}"/>).</typeparam>
/// <typeparam name="TChunk">What a worker needs to run one chunk, for example <see cref="LongRange"/>.</typeparam>
/// <typeparam name="TChunkResult">What one chunk returns.</typeparam>
/// <typeparam name="TResult">The job's merged result.</typeparam>
public abstract class JobKind<TParameters, TChunk, TChunkResult, TResult> : TypedJobKind<TParameters, TChunkResult, TResult>
    where TParameters : notnull
{
    /// <summary>How chunks travel from the coordinator to workers. Default: <see cref="ChunkCodecs.Default{T}(System.Text.Json.JsonSerializerOptions)"/> with the kind's JSON options.</summary>
    protected virtual ChunkCodec<TChunk> ChunkCodec => ChunkCodecs.Default<TChunk>(JsonOptions);

    /// <summary>Splits the job into chunks, on the coordinator; <see cref="Splitters"/> has the usual splitters.</summary>
    /// <exception cref="JobParameterException">The job cannot be split as asked.</exception>
    protected abstract Splitter<TChunk> Split(TParameters parameters, JobPlanContext context);

    /// <summary>
    /// Runs one chunk on a worker's compute thread; long chunks should observe <paramref name="cancellationToken"/> now
    /// and then. Every chunk of a job on one worker gets the same <paramref name="parameters"/> instance.
    /// </summary>
    protected abstract TChunkResult Execute(TParameters parameters, TChunk chunk, CancellationToken cancellationToken);

    private protected sealed override IJobPlan PlanTyped(TParameters parameters, JobPlanContext context) =>
        new ValuePlan(this, parameters, Split(parameters, context), ChunkCodec);

    private protected sealed override IChunkExecutor CreateTypedExecutor(TParameters parameters, ChunkCodec<TChunkResult> resultCodec, IJobInput? input) =>
        new ValueExecutor(this, parameters, ChunkCodec, resultCodec);

    private sealed class ValuePlan(
        JobKind<TParameters, TChunk, TChunkResult, TResult> kind, TParameters parameters, Splitter<TChunk> splitter, ChunkCodec<TChunk> codec) : IJobPlan
    {
        public long ChunkCount => splitter.ChunkCount;

        public void WritePayload(long chunkIndex, IBufferWriter<byte> writer) => codec.Write(splitter.GetChunk(chunkIndex), writer);

        public IJobMerger CreateMerger() => kind.CreateMerger(parameters, new PlanShape(splitter.ChunkCount, 0));
    }

    private sealed class ValueExecutor(
        JobKind<TParameters, TChunk, TChunkResult, TResult> kind, TParameters parameters, ChunkCodec<TChunk> chunkCodec, ChunkCodec<TChunkResult> resultCodec) : IChunkExecutor
    {
        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken) =>
            resultCodec.Write(kind.Execute(parameters, chunkCodec.Read(payload), cancellationToken), output);
    }
}
