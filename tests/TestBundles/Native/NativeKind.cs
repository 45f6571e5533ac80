using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using Cluster.Jobs;

namespace Cluster.TestBundles;

/// <summary>
/// bundle-native: the sum of the squares of the chunk indexes, each squared by a native library the bundle ships
/// (<c>runtimes/RID/native/libclustertestnative.so</c>, which the tests build with cc), found through the bundle's
/// load context. The library is not in this project's build output: a test adds it.
/// </summary>
public sealed class NativeKind : IJobKind
{
    public string Name => "bundle-native";

    public string Description => "Sum of the squares of the chunk indexes, squared in native code shipped in the bundle.";

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [ParameterSpec.Int("count", "Chunks, one per index.", defaultValue: 4L)];

    public IJobPlan Plan(JobPlanContext context) => new Indexes(context.Parameters.GetInt64("count"));

    public IChunkExecutor CreateExecutor(JobParameters parameters) => new Squarer();

    private sealed class Indexes(long count) : IJobPlan
    {
        public long ChunkCount => count;

        public void WritePayload(long chunkIndex, IBufferWriter<byte> writer)
        {
        }

        public IJobMerger CreateMerger() => new Adder();
    }

    private sealed class Squarer : IChunkExecutor
    {
        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken)
        {
            BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), NativeMethods.Square(chunkIndex));
            output.Advance(8);
        }
    }

    private sealed class Adder : IJobMerger
    {
        private long _sum;

        public void Merge(long chunkIndex, ReadOnlySpan<byte> output) => _sum += BinaryPrimitives.ReadInt64LittleEndian(output);

        public JobOutput Complete() => JobOutput.FromJson(string.Create(CultureInfo.InvariantCulture, $"{{\"sum\":{_sum}}}"));
    }
}

internal static partial class NativeMethods
{
    [LibraryImport("clustertestnative", EntryPoint = "cluster_test_square")]
    internal static partial long Square(long value);
}
