using System.ComponentModel;
using Cluster.Jobs;
using Cluster.Jobs.Splitting;
using Cluster.Jobs.Typed;

namespace MyJobs;

public sealed record CollatzParameters([Description("Search the starts below this")][Range(2, 1_000_000_000)] long Below);

public sealed record Longest(long Start, int Steps);

public sealed class CollatzKind : JobKind<CollatzParameters, LongRange, Longest, Longest>
{
    public override string Name => "collatz";
    public override string Description => "The start below N with the longest Collatz chain.";

    protected override Splitter<LongRange> Split(CollatzParameters p, JobPlanContext context) => Splitters.Range(context, 1, p.Below);

    protected override Longest Execute(CollatzParameters p, LongRange chunk, CancellationToken cancellationToken)
    {
        var best = new Longest(0, -1);
        for (var n = chunk.Start; n < chunk.End; n++)
        {
            var (x, steps) = (n, 0);
            for (; x != 1; steps++) x = x % 2 == 0 ? x / 2 : (3 * x) + 1;
            if (steps > best.Steps) best = new Longest(n, steps);
        }

        return best;
    }

    protected override Longest Empty(CollatzParameters p, PlanShape shape) => new(0, -1);
    protected override Longest Merge(Longest total, long chunkIndex, Longest chunk) => chunk.Steps > total.Steps || (chunk.Steps == total.Steps && chunk.Start < total.Start) ? chunk : total;
}
