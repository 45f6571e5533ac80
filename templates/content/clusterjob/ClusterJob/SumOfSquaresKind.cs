using System.ComponentModel;
using Cluster.Jobs;
using Cluster.Jobs.Splitting;
using Cluster.Jobs.Typed;

namespace ClusterJob;

public sealed record SumOfSquaresParameters(
    [Description("First number")][Range(0, 2_000_000)] long From,
    [Description("End of the range (exclusive)")][Range(1, 2_000_000)] long To);

public sealed record SumOfSquaresResult(long Numbers, long Sum);

/// <summary>The sum of i*i over [from, to), split into ranges that workers sum in parallel.</summary>
public sealed class SumOfSquaresKind : JobKind<SumOfSquaresParameters, LongRange, long, SumOfSquaresResult>
{
    public override string Name => "job-kind-name";

    public override string Description => "Sums the squares of a range of numbers.";

    protected override Splitter<LongRange> Split(SumOfSquaresParameters parameters, JobPlanContext context) =>
        Splitters.Range(context, parameters.From, parameters.To);

    protected override long Execute(SumOfSquaresParameters parameters, LongRange chunk, CancellationToken cancellationToken)
    {
        long sum = 0;
        for (var i = chunk.Start; i < chunk.End; i++)
        {
            sum += i * i;
        }

        return sum;
    }

    protected override SumOfSquaresResult Empty(SumOfSquaresParameters parameters, PlanShape shape) => new(parameters.To - parameters.From, 0);

    protected override SumOfSquaresResult Merge(SumOfSquaresResult total, long chunkIndex, long chunkResult) => total with { Sum = total.Sum + chunkResult };
}
