using Cluster.Jobs;

namespace Cluster.Bench.BaselineKinds;

/// <summary>Adds the 8-byte counts chunks return; the result is built from the total alone, in constant memory.</summary>
internal sealed class SumMerger(Func<long, JobOutput> complete) : IJobMerger
{
    private long _total;

    public void Merge(long chunkIndex, ReadOnlySpan<byte> output) => _total = checked(_total + RangeCodec.ReadCount(output));

    public JobOutput Complete() => complete(_total);
}
