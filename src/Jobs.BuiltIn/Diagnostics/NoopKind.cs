using System.Buffers;
using Cluster.Jobs.BuiltIn.Common;

namespace Cluster.Jobs.BuiltIn.Diagnostics;

/// <summary>Chunks that do nothing: measures how many chunks per second the cluster itself can move.</summary>
public sealed class NoopKind : IJobKind
{
    /// <inheritdoc />
    public string Name => "noop";

    /// <inheritdoc />
    public string Description => "Runs empty chunks, to measure the cluster's per-chunk overhead.";

    /// <inheritdoc />
    public IReadOnlyList<ParameterSpec> Parameters { get; } = [];

    /// <inheritdoc />
    public IJobPlan Plan(JobPlanContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var chunks = CountedChunksPlan.ChunkCountFor(context.Chunking, Name);
        return new CountedChunksPlan(chunks, merged => JobOutput.FromJson(SummaryJson.Write(merged, static (w, n) => w.WriteNumber("chunks", n))));
    }

    /// <inheritdoc />
    public IChunkExecutor CreateExecutor(JobParameters parameters) => new Executor();

    private sealed class Executor : IChunkExecutor
    {
        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken)
        {
        }
    }
}
