using System.Buffers;
using System.Runtime.ExceptionServices;

namespace Cluster.Jobs.InProcess;

/// <summary>
/// Runs a whole job inside one process, with no coordinator or workers: binds the parameters, plans, executes every
/// chunk on a pool of threads and merges the outputs. The baseline the cluster is benchmarked against, and the
/// harness for testing job kinds.
/// </summary>
public static class InProcessJobRunner
{
    /// <summary>Runs a job of <paramref name="kind"/> to completion and returns its result.</summary>
    /// <exception cref="JobParameterException">A parameter or the input breaks a rule of the kind.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static JobOutput Run(
        IJobKind kind,
        IReadOnlyDictionary<string, object> parameters,
        IJobInput? input = null,
        InProcessRunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(parameters);
        options ??= new InProcessRunOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1);

        var bound = JobParameters.Bind(kind.Parameters, parameters);
        var byReference = options.InputByReference && input is not null;
        if (byReference && !kind.ReadsInputByReference)
        {
            throw new JobParameterException("input", $"cannot be read by reference: kind '{kind.Name}' reads its input only as uploaded bytes");
        }

        var plan = kind.Plan(new JobPlanContext(bound, input, options.ToChunkingRequest()) { InputByReference = byReference });
        var executor = byReference ? kind.CreateExecutor(bound, input!) : kind.CreateExecutor(bound);
        var merger = plan.CreateMerger();
        var order = options.ShuffleSeed is { } seed ? Shuffled(plan.ChunkCount, seed) : null;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellationToken };

        try
        {
            Parallel.For(
                0L,
                plan.ChunkCount,
                parallel,
                () => new Buffers(),
                (i, _, buffers) =>
                {
                    var chunk = order is null ? i : order[i];
                    buffers.Reset();
                    plan.WritePayload(chunk, buffers.Payload);
                    executor.Execute(chunk, buffers.Payload.WrittenSpan, buffers.Output, cancellationToken);
                    lock (merger)
                    {
                        merger.Merge(chunk, buffers.Output.WrittenSpan);
                    }

                    return buffers;
                },
                static _ => { });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            // Surface what the kind threw, not the parallel loop's wrapper.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        return merger.Complete();
    }

    private static long[] Shuffled(long count, int seed)
    {
        var order = new long[count];
        for (long i = 0; i < count; i++)
        {
            order[i] = i;
        }

        new Random(seed).Shuffle(order);
        return order;
    }

    // Per-thread buffers, reused for every chunk the thread runs so the runner itself allocates nothing per chunk.
    private sealed class Buffers
    {
        public ArrayBufferWriter<byte> Payload { get; } = new();

        public ArrayBufferWriter<byte> Output { get; } = new();

        public void Reset()
        {
            Payload.ResetWrittenCount();
            Output.ResetWrittenCount();
        }
    }
}
