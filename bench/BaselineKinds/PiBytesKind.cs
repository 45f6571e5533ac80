using System.Buffers;
using Cluster.Jobs;
using Cluster.Jobs.BuiltIn.Pi;

namespace Cluster.Bench.BaselineKinds;

/// <summary>Estimates π by Monte Carlo sampling; reproducible for a seed whatever the chunking.</summary>
public sealed class PiBytesKind : IJobKind
{
    /// <inheritdoc />
    public string Name => "pi-bytes";

    /// <inheritdoc />
    public string Description => "Estimates pi by Monte Carlo sampling of the unit square, reproducible per seed (byte-level baseline for cluster-bench).";

    /// <inheritdoc />
    public IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        ParameterSpec.Int("samples", "Number of random points (> 0).", required: true),
        ParameterSpec.Int("seed", "Seed of the random stream; the same seed gives the same result.", defaultValue: 0),
    ];

    /// <inheritdoc />
    public IJobPlan Plan(JobPlanContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (samples, seed) = Validate(context.Parameters);
        var layout = context.Chunking.Split(samples);
        return new RangePlan(layout, 0, () => new SumMerger(inside => Summarize(samples, seed, inside)));
    }

    /// <inheritdoc />
    public IChunkExecutor CreateExecutor(JobParameters parameters) => new Executor(Validate(parameters).Seed);

    private static (long Samples, long Seed) Validate(JobParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return (ParameterRules.IntInRange(parameters, "samples", 1, long.MaxValue), parameters.GetInt64("seed"));
    }

    private static JobOutput Summarize(long samples, long seed, long inside) =>
        JobOutput.FromJson(SummaryJson.Write((samples, seed, inside), static (w, s) =>
        {
            w.WriteNumber("samples", s.samples);
            w.WriteNumber("seed", s.seed);
            w.WriteNumber("inside", s.inside);
            w.WriteNumber("estimate", 4.0 * s.inside / s.samples);
        }));

    private sealed class Executor(long seed) : IChunkExecutor
    {
        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken)
        {
            var (start, end) = RangeCodec.ReadRange(payload);
            RangeCodec.WriteCount(output, MonteCarloPi.CountInside(seed, start, end, cancellationToken));
        }
    }
}
