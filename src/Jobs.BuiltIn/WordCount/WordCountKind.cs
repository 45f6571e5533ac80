using System.Buffers;
using System.ComponentModel;
using Cluster.Jobs.BuiltIn.Common;
using Cluster.Jobs.Splitting;
using Cluster.Jobs.Typed;

namespace Cluster.Jobs.BuiltIn.WordCount;

/// <summary>The parameters of <see cref="WordCountKind"/>.</summary>
/// <param name="Top">How many of the most frequent words to list.</param>
public sealed record WordCountParameters(
    [Description("How many of the most frequent words to list")][Range(1, 100_000)] int Top = 10);

/// <summary>
/// Counts the words of the uploaded UTF-8 text and reports the most frequent ones; chunks are runs of whole lines.
/// A chunk returns its table in the compact wire form of <see cref="WordCounts"/>, which the coordinator adds straight
/// into the total, without building a table per chunk.
/// </summary>
public sealed class WordCountKind : InputJobKind<WordCountParameters, byte[], WordCountTotal>
{
    /// <inheritdoc />
    public override string Name => "wordcount";

    /// <inheritdoc />
    public override string Description => "Counts words (runs of Unicode letters or digits, lower-cased) in UTF-8 text; lists the most frequent.";

    /// <inheritdoc />
    protected override Splitter<LongRange> Split(WordCountParameters parameters, JobPlanContext context) => Splitters.Lines(context, InputSlice.MaxBytes);

    /// <inheritdoc />
    protected override byte[] Execute(WordCountParameters parameters, InputChunk chunk, CancellationToken cancellationToken)
    {
        var counts = new WordCounts();
        WordCounter.CountWords(chunk.Data, counts);
        var wire = new ArrayBufferWriter<byte>();
        counts.WriteTo(wire);
        return wire.WrittenSpan.ToArray();
    }

    /// <inheritdoc />
    protected override WordCountTotal Empty(WordCountParameters parameters, PlanShape shape) => new(parameters.Top);

    /// <inheritdoc />
    protected override WordCountTotal Merge(WordCountTotal total, long chunkIndex, byte[] chunkResult)
    {
        total.Counts.AddFrom(chunkResult);
        return total;
    }

    /// <inheritdoc />
    protected override JobOutput ToOutput(WordCountTotal result) =>
        JobOutput.FromJson(SummaryJson.Write(result, static (w, s) =>
        {
            w.WriteNumber("total", s.Counts.Total);
            w.WriteNumber("distinct", s.Counts.Distinct);
            w.WriteStartArray("top");
            foreach (var (word, count) in s.Counts.Top(s.Top))
            {
                w.WriteStartObject();
                w.WriteString("word", word);
                w.WriteNumber("count", count);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }));
}

/// <summary>The merged counts of <see cref="WordCountKind"/>, and how many of the most frequent words its summary lists.</summary>
/// <param name="Top">Words the summary lists.</param>
public sealed record WordCountTotal(int Top)
{
    /// <summary>Every word's count so far.</summary>
    public WordCounts Counts { get; } = new();
}
