using System.Buffers;
using Cluster.Jobs;
using Cluster.Jobs.BuiltIn.WordCount;

namespace Cluster.Bench.BaselineKinds;

/// <summary>Counts the words of the uploaded UTF-8 text and reports the most frequent ones; chunks are runs of whole lines.</summary>
public sealed class WordCountBytesKind : IJobKind
{
    /// <inheritdoc />
    public string Name => "wordcount-bytes";

    /// <inheritdoc />
    public string Description => "Counts words (runs of Unicode letters or digits, lower-cased) in UTF-8 text; lists the most frequent (byte-level baseline for cluster-bench).";

    /// <inheritdoc />
    public bool TakesInput => true;

    /// <inheritdoc />
    public IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        ParameterSpec.Int("top", "How many of the most frequent words to list (1..100000).", defaultValue: 10),
    ];

    /// <inheritdoc />
    public IJobPlan Plan(JobPlanContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var top = (int)ParameterRules.IntInRange(context.Parameters, "top", 1, 100_000);
        var input = context.RequireInput();
        return new LinePlan(input, LineSplitter.Split(input, context.Chunking), top);
    }

    /// <inheritdoc />
    public IChunkExecutor CreateExecutor(JobParameters parameters) => new Executor();

    private sealed class LinePlan(IJobInput input, long[] boundaries, int top) : IJobPlan
    {
        public long ChunkCount => boundaries.Length - 1;

        public void WritePayload(long chunkIndex, IBufferWriter<byte> writer)
        {
            var start = boundaries[chunkIndex];
            InputSlice.Write(input, start, (int)(boundaries[chunkIndex + 1] - start), writer);
        }

        public IJobMerger CreateMerger() => new Merger(top);
    }

    private sealed class Executor : IChunkExecutor
    {
        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken)
        {
            var counts = new WordCounts();
            WordCounter.CountWords(payload, counts);
            counts.WriteTo(output);
        }
    }

    private sealed class Merger(int top) : IJobMerger
    {
        private readonly WordCounts _counts = new();

        public void Merge(long chunkIndex, ReadOnlySpan<byte> output) => _counts.AddFrom(output);

        public JobOutput Complete() =>
            JobOutput.FromJson(SummaryJson.Write((_counts, top), static (w, s) =>
            {
                w.WriteNumber("total", s._counts.Total);
                w.WriteNumber("distinct", s._counts.Distinct);
                w.WriteStartArray("top");
                foreach (var (word, count) in s._counts.Top(s.top))
                {
                    w.WriteStartObject();
                    w.WriteString("word", word);
                    w.WriteNumber("count", count);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }));
    }
}
