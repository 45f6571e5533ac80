using System.Buffers;
using Cluster.Jobs.BuiltIn.Common;

namespace Cluster.Jobs.BuiltIn.Diagnostics;

/// <summary>Chunks that each wait a fixed time: for testing scheduling, stragglers and cancellation.</summary>
public sealed class SleepKind : IJobKind
{
    /// <inheritdoc />
    public string Name => "sleep";

    /// <inheritdoc />
    public string Description => "Runs chunks that each wait ms milliseconds (cancellable), to exercise scheduling.";

    /// <inheritdoc />
    public IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        ParameterSpec.Int("ms", "Milliseconds each chunk waits (0..3600000).", required: true),
    ];

    /// <inheritdoc />
    public IJobPlan Plan(JobPlanContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ms = Validate(context.Parameters);
        var chunks = CountedChunksPlan.ChunkCountFor(context.Chunking, Name);
        return new CountedChunksPlan(chunks, merged => JobOutput.FromJson(SummaryJson.Write((merged, ms), static (w, s) =>
        {
            w.WriteNumber("chunks", s.merged);
            w.WriteNumber("ms", s.ms);
        })));
    }

    /// <inheritdoc />
    public IChunkExecutor CreateExecutor(JobParameters parameters) => new Executor(Validate(parameters));

    private static int Validate(JobParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return (int)ParameterRules.IntInRange(parameters, "ms", 0, 3_600_000);
    }

    private sealed class Executor(int ms) : IChunkExecutor
    {
        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken)
        {
            // Chunks run on dedicated compute threads, so blocking the thread is the point; the wait ends early on cancel.
            cancellationToken.WaitHandle.WaitOne(ms);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
