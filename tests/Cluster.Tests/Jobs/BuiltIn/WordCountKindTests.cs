using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cluster.Jobs;
using Cluster.Jobs.BuiltIn.WordCount;
using Cluster.Jobs.InProcess;
using static Cluster.Tests.Jobs.BuiltIn.KindHarness;

namespace Cluster.Tests.Jobs.BuiltIn;

public sealed partial class WordCountKindTests
{
    private readonly WordCountKind _kind = new();

    [Fact]
    public void Run_MixedScriptText_MatchesSequentialRegexCount()
    {
        var text = GenerateText(seed: 4);
        var expected = ExpectedCounts(text);

        var summary = Summary(Run(_kind, Params(("top", 100_000L)), new InProcessRunOptions { Threads = 2, Chunks = 5 }, new MemoryJobInput(text)));

        Assert.Equal(expected.Values.Sum(), summary.GetProperty("total").GetInt64());
        Assert.Equal(expected.Count, summary.GetProperty("distinct").GetInt64());
        var expectedTop = expected.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(expectedTop, Top(summary));
        Assert.Contains(expectedTop, p => p.Key == "straße");
        Assert.Contains(expectedTop, p => p.Key == "привет");
    }

    [Fact]
    public void Run_DifferentChunkings_SameResult()
    {
        var input = new MemoryJobInput(GenerateText(seed: 5));
        InProcessRunOptions[] chunkings =
        [
            new() { Threads = 1, Chunks = 1 },
            new() { Threads = 2, Chunks = 5 },
            new() { Threads = 2, Chunks = 50, ShuffleSeed = 8 },
            new() { Threads = 2, ChunkSize = 777 },
        ];

        var results = chunkings.Select(o => Run(_kind, Params(("top", 25L)), o, input).SummaryJson).ToList();

        Assert.All(results, r => Assert.Equal(results[0], r));
    }

    [Fact]
    public void Run_ByReference_MatchesSequentialCountAndUploadForEveryChunking()
    {
        var text = GenerateText(seed: 6);
        var expected = ExpectedCounts(text);
        var input = new MemoryJobInput(text);
        var uploaded = Run(_kind, Params(("top", 100_000L)), new InProcessRunOptions { Threads = 2, Chunks = 5 }, input).SummaryJson;
        InProcessRunOptions[] chunkings =
        [
            new() { Threads = 1, Chunks = 1, InputByReference = true },
            new() { Threads = 2, Chunks = 7, InputByReference = true },
            new() { Threads = 2, Chunks = 64, ShuffleSeed = 3, InputByReference = true },
            new() { Threads = 2, ChunkSize = 333, InputByReference = true },
        ];

        foreach (var options in chunkings)
        {
            var summary = Run(_kind, Params(("top", 100_000L)), options, input).SummaryJson;

            Assert.Equal(uploaded, summary);
            Assert.Equal(expected.Values.Sum(), JsonDocument.Parse(summary).RootElement.GetProperty("total").GetInt64());
        }
    }

    [Theory]
    [InlineData(7L)]
    [InlineData(64L)]
    public void Execute_PayloadsRebuiltFromSpoolRanges_MatchSequentialCount(long chunks)
    {
        // Local reads: the coordinator sends each chunk's header and spool range; the worker reads the range and runs the
        // chunk on header + bytes. Nominal boundaries fall inside lines; the counts must still be the sequential ones.
        var text = GenerateText(seed: 9);
        var expected = ExpectedCounts(text);
        var input = new MemoryJobInput(text);
        var parameters = JobParameters.Bind(_kind.Parameters, Params(("top", 100_000L)));
        var context = new JobPlanContext(parameters, input, new ChunkingRequest(chunks, 0, 4, 1000)) { InputArriving = true };
        var plan = (IInputSlicePlan)_kind.Plan(context);
        var executor = _kind.CreateExecutor(parameters);
        var merger = plan.CreateMerger();

        for (long i = 0; i < plan.ChunkCount; i++)
        {
            var payload = new ArrayBufferWriter<byte>();
            var range = plan.WritePayloadHeader(i, payload);
            input.Read(range.Start, payload.GetSpan((int)range.Length)[..(int)range.Length]);
            payload.Advance((int)range.Length);
            var output = new ArrayBufferWriter<byte>();
            executor.Execute(i, payload.WrittenSpan, output, CancellationToken.None);
            merger.Merge(i, output.WrittenSpan);
        }

        var summary = Summary(merger.Complete());
        Assert.Equal(expected.Values.Sum(), summary.GetProperty("total").GetInt64());
        Assert.Equal(expected.Count, summary.GetProperty("distinct").GetInt64());
    }

    [Fact]
    public void Run_TiedCounts_SortedByWordOrdinal()
    {
        var input = new MemoryJobInput(Encoding.UTF8.GetBytes("b a c\r\nB, A. d\nc!"));

        var summary = Summary(Run(_kind, Params(("top", 3L)), input: input));

        Assert.Equal([new("a", 2), new("b", 2), new("c", 2)], Top(summary));
        Assert.Equal(7, summary.GetProperty("total").GetInt64());
        Assert.Equal(4, summary.GetProperty("distinct").GetInt64());
    }

    [Fact]
    public void Run_NoNewlinesAndManyChunks_OneChunkStillCountsEverything()
    {
        var input = new MemoryJobInput(Encoding.UTF8.GetBytes(string.Join(' ', Enumerable.Repeat("Ёлка", 1_000))));

        var summary = Summary(Run(_kind, Params(), new InProcessRunOptions { Threads = 2, Chunks = 50 }, input));

        Assert.Equal([new("ёлка", 1_000)], Top(summary));
    }

    [Fact]
    public void Plan_NoInput_ThrowsNamingInput()
    {
        Assert.Equal("input", Rejects(_kind, Params()).Field);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(100_001L)]
    public void Plan_TopOutOfRange_ThrowsNamingTop(long top)
    {
        Assert.Equal("top", Rejects(_kind, Params(("top", top)), input: new MemoryJobInput(new byte[] { 65 })).Field);
    }

    private static List<KeyValuePair<string, long>> Top(JsonElement summary) =>
        [.. summary.GetProperty("top").EnumerateArray().Select(e => new KeyValuePair<string, long>(e.GetProperty("word").GetString()!, e.GetProperty("count").GetInt64()))];

    private static Dictionary<string, long> ExpectedCounts(byte[] text)
    {
        // Invalid UTF-8 decodes to U+FFFD, which is no letter: a separator, as the kind promises.
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Match match in WordPattern().Matches(Encoding.UTF8.GetString(text)))
        {
            var word = match.Value.ToLowerInvariant();
            counts[word] = counts.GetValueOrDefault(word) + 1;
        }

        return counts;
    }

    private static byte[] GenerateText(int seed)
    {
        string[] vocabulary =
        [
            "Été", "été", "straße", "STRASSE", "Привет", "ПРИВЕТ", "мир", "naïve", "Œuvre", "año", "x2", "42", "٣٤", "日本語",
            "the", "The", "quick", "brown", "fox", "don't", "e-mail", "über", "Ωmega", "ἀρχή",
        ];
        string[] separators = [" ", ", ", ". ", "; ", "! ", " - ", "\t", "  ", "(", ")", "\"", "…", "—"];
        var random = new Random(seed);
        var bytes = new List<byte>();
        for (var line = 0; line < 400; line++)
        {
            var words = line == 200 ? 5_000 : random.Next(0, 15);
            var builder = new StringBuilder();
            for (var w = 0; w < words; w++)
            {
                builder.Append(vocabulary[random.Next(vocabulary.Length)]).Append(separators[random.Next(separators.Length)]);
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(builder.ToString()));
            if (line % 37 == 0)
            {
                bytes.AddRange([0xFF, (byte)'z', 0xC3]);
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(line % 3 == 0 ? "\r\n" : "\n"));
        }

        return [.. bytes];
    }

    [GeneratedRegex(@"[\p{L}\p{Nd}]+")]
    private static partial Regex WordPattern();
}
