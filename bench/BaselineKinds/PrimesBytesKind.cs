using System.Buffers;
using System.Globalization;
using Cluster.Jobs;
using Cluster.Jobs.BuiltIn.Primes;

namespace Cluster.Bench.BaselineKinds;

/// <summary>Counts the primes in [from, to) with a segmented sieve; chunks are sub-ranges, the merge is a sum.</summary>
public sealed class PrimesBytesKind : IJobKind
{
    /// <summary>The largest <c>to</c> accepted: its base primes (up to about 3.2 million) stay small.</summary>
    public const long MaxTo = 10_000_000_000_000;

    /// <inheritdoc />
    public string Name => "primes-bytes";

    /// <inheritdoc />
    public string Description => "Counts the primes in [from, to) with a segmented sieve of Eratosthenes (byte-level baseline for cluster-bench).";

    /// <inheritdoc />
    public IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        ParameterSpec.Int("from", "First number of the range (inclusive, >= 0).", required: true),
        ParameterSpec.Int("to", "End of the range (exclusive, > from, at most 10^13).", required: true),
    ];

    /// <inheritdoc />
    public IJobPlan Plan(JobPlanContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (from, to) = Validate(context.Parameters);
        var layout = context.Chunking.Split(to - from);
        return new RangePlan(layout, from, () => new SumMerger(count => Summarize(from, to, count)));
    }

    /// <inheritdoc />
    public IChunkExecutor CreateExecutor(JobParameters parameters)
    {
        var (_, to) = Validate(parameters);
        return new Executor(new PrimeSieve(to));
    }

    private static (long From, long To) Validate(JobParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var from = ParameterRules.IntInRange(parameters, "from", 0, MaxTo - 1);
        var to = ParameterRules.IntInRange(parameters, "to", 1, MaxTo);
        if (to <= from)
        {
            throw new JobParameterException(
                "to",
                string.Create(CultureInfo.InvariantCulture, $"must be greater than 'from' (from={from}, to={to})"));
        }

        return (from, to);
    }

    private static JobOutput Summarize(long from, long to, long count) =>
        JobOutput.FromJson(SummaryJson.Write((from, to, count), static (w, s) =>
        {
            w.WriteNumber("from", s.from);
            w.WriteNumber("to", s.to);
            w.WriteNumber("count", s.count);
        }));

    private sealed class Executor(PrimeSieve sieve) : IChunkExecutor
    {
        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken)
        {
            var (start, end) = RangeCodec.ReadRange(payload);
            RangeCodec.WriteCount(output, sieve.Count(start, end, cancellationToken));
        }
    }
}
