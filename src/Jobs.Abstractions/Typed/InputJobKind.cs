using System.Buffers;
using System.Buffers.Binary;
using Cluster.Jobs.Splitting;

namespace Cluster.Jobs.Typed;

/// <summary>
/// A typed job kind that reads the job's uploaded input: each chunk is a slice of it (by <see cref="Splitters.Lines"/>,
/// <see cref="Splitters.Blocks"/> or any splitter of byte ranges), handed to <see cref="Execute"/> without a copy.
/// </summary>
/// <typeparam name="TParameters">The parameters record (see <see cref="TypedJobKind{TParameters, TChunkResult, TResult}"/>).</typeparam>
/// <typeparam name="TChunkResult">What one chunk returns.</typeparam>
/// <typeparam name="TResult">The job's merged result.</typeparam>
public abstract class InputJobKind<TParameters, TChunkResult, TResult> : TypedJobKind<TParameters, TChunkResult, TResult>
    where TParameters : notnull
{
    private const int OffsetBytes = 8;

    /// <inheritdoc />
    public sealed override bool TakesInput => true;

    /// <inheritdoc />
    /// <remarks>Always: the SDK reads each chunk's range on the worker (moved to line starts for <see cref="Splitters.Lines"/>).</remarks>
    public sealed override bool ReadsInputByReference => true;

    /// <summary>Splits the input into byte ranges, on the coordinator, for example <c>Splitters.Lines(context)</c>.</summary>
    /// <exception cref="JobParameterException">The job cannot be split as asked, or no input was sent.</exception>
    protected abstract Splitter<LongRange> Split(TParameters parameters, JobPlanContext context);

    /// <summary>
    /// Runs one chunk on a worker's compute thread; the chunk's bytes are valid only during the call. Every chunk of a
    /// job on one worker gets the same <paramref name="parameters"/> instance.
    /// </summary>
    protected abstract TChunkResult Execute(TParameters parameters, InputChunk chunk, CancellationToken cancellationToken);

    private protected sealed override IJobPlan PlanTyped(TParameters parameters, JobPlanContext context) =>
        new SlicePlan(this, parameters, context.RequireInput(), Split(parameters, context), context.InputByReference);

    private protected sealed override IChunkExecutor CreateTypedExecutor(TParameters parameters, ChunkCodec<TChunkResult> resultCodec, IJobInput? input) =>
        new SliceExecutor(this, parameters, resultCodec, input);

    private sealed class SlicePlan(
        InputJobKind<TParameters, TChunkResult, TResult> kind, TParameters parameters, IJobInput input, Splitter<LongRange> splitter, bool byReference) : IArrivingInputPlan, IInputSlicePlan
    {
        // By reference or arriving, the most bytes a chunk's lines may come to, fixed by the splitter: 0 for exact
        // blocks, or for lines the coordinator found in the whole input at planning.
        private readonly int _maxLineChunkBytes = splitter is ReferenceLineSplitter lines ? lines.MaxChunkBytes : 0;

        public long ChunkCount => splitter.ChunkCount;

        // A block needs its own bytes; unaligned lines also the line end after the range, which moves its end.
        public bool HasArrived(long chunkIndex, IJobInput arrived)
        {
            var end = splitter.GetChunk(chunkIndex).End;
            if (arrived.Length >= input.Length || end <= 0)
            {
                return true;
            }

            return _maxLineChunkBytes > 0 ? LineRanges.HasNewlineAtOrAfter(arrived, end - 1) : end <= arrived.Length;
        }

        // Uploaded: the payload is the slice's offset in the input, then its bytes. By reference: only its range.
        public void WritePayload(long chunkIndex, IBufferWriter<byte> writer)
        {
            if (byReference)
            {
                RangePayload.Write(writer, Checked(chunkIndex, splitter.GetChunk(chunkIndex)), _maxLineChunkBytes);
                return;
            }

            var range = Slice(chunkIndex);
            var length = (int)range.Length;
            var span = writer.GetSpan(OffsetBytes + length)[..(OffsetBytes + length)];
            BinaryPrimitives.WriteInt64LittleEndian(span, range.Start);
            LineRanges.ReadExactly(input, range.Start, span[OffsetBytes..]);
            writer.Advance(OffsetBytes + length);
        }

        // The uploaded payload's header (the slice's offset) and the slice whose bytes follow it.
        public LongRange WritePayloadHeader(long chunkIndex, IBufferWriter<byte> writer)
        {
            if (byReference)
            {
                throw new InvalidOperationException("A job read by reference has no uploaded payload to slice: its payloads are ranges already.");
            }

            var range = Slice(chunkIndex);
            BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(OffsetBytes), range.Start);
            writer.Advance(OffsetBytes);
            return range;
        }

        // The chunk's bytes in the uploaded input: lines are found here while it arrives, as a worker would by reference.
        private LongRange Slice(long chunkIndex)
        {
            var range = Checked(chunkIndex, splitter.GetChunk(chunkIndex));
            return _maxLineChunkBytes > 0 ? LineRanges.AlignWithin(input, range, _maxLineChunkBytes) : range;
        }

        private LongRange Checked(long chunkIndex, LongRange range) =>
            range.Start < 0 || range.End > input.Length || range.Length > int.MaxValue - OffsetBytes || range.Length < 0
                ? throw new InvalidOperationException($"Chunk {chunkIndex} is [{range.Start}, {range.End}), not a slice of an input of {input.Length} bytes.")
                : range;

        public IJobMerger CreateMerger() => kind.CreateMerger(parameters, new PlanShape(splitter.ChunkCount, input.Length));
    }

    private sealed class SliceExecutor(
        InputJobKind<TParameters, TChunkResult, TResult> kind, TParameters parameters, ChunkCodec<TChunkResult> resultCodec, IJobInput? input) : IChunkExecutor
    {
        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken)
        {
            if (input is not null)
            {
                var offset = RangePayload.ReadChunk(payload, input, out var data, out var length);
                try
                {
                    resultCodec.Write(kind.Execute(parameters, new InputChunk(chunkIndex, offset, data.AsSpan(0, length)), cancellationToken), output);
                }
                finally
                {
                    RangePayload.Return(data);
                }

                return;
            }

            if (payload.Length < OffsetBytes)
            {
                throw new InvalidDataException($"An input chunk's payload has {payload.Length} bytes, fewer than its {OffsetBytes}-byte offset.");
            }

            var chunk = new InputChunk(chunkIndex, BinaryPrimitives.ReadInt64LittleEndian(payload), payload[OffsetBytes..]);
            resultCodec.Write(kind.Execute(parameters, chunk, cancellationToken), output);
        }
    }
}
