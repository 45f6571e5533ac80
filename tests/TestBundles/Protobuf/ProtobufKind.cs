using System.Buffers;
using System.Text;
using System.Text.Json;
using Cluster.Jobs;
using Google.Protobuf;

namespace Cluster.TestBundles;

/// <summary>
/// bundle-protobuf: reports the version of Google.Protobuf its code sees on the coordinator (planning) and on the
/// workers (every chunk), and uses it (a ByteString round trip) so the dependency really loads.
/// </summary>
public sealed class ProtobufKind : IJobKind
{
    public string Name => "bundle-protobuf";

    public string Description => "Reports the Google.Protobuf version seen on the coordinator and the workers.";

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [ParameterSpec.Int("chunks", "Chunks to run.", defaultValue: 4L)];

    public IJobPlan Plan(JobPlanContext context) => new VersionPlan(context.Parameters.GetInt64("chunks"), Seen());

    public IChunkExecutor CreateExecutor(JobParameters parameters) => new VersionExecutor();

    internal static string Seen() =>
        ByteString.CopyFromUtf8(typeof(ByteString).Assembly.GetName().Version!.ToString()).ToStringUtf8();

    private sealed class VersionPlan(long chunks, string coordinator) : IJobPlan
    {
        public long ChunkCount => chunks;

        public void WritePayload(long chunkIndex, IBufferWriter<byte> writer)
        {
        }

        public IJobMerger CreateMerger() => new VersionMerger(coordinator);
    }

    private sealed class VersionExecutor : IChunkExecutor
    {
        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken) =>
            output.Write(Encoding.UTF8.GetBytes(Seen()));
    }

    private sealed class VersionMerger(string coordinator) : IJobMerger
    {
        private readonly SortedSet<string> _workers = new(StringComparer.Ordinal);

        public void Merge(long chunkIndex, ReadOnlySpan<byte> output) => _workers.Add(Encoding.UTF8.GetString(output));

        public JobOutput Complete() => JobOutput.FromJson(
            $"{{\"coordinator\":{JsonSerializer.Serialize(coordinator)},\"workers\":{JsonSerializer.Serialize(_workers)}}}");
    }
}
