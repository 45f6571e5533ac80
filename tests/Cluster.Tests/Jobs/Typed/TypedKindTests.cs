using System.Text;
using Cluster.Jobs;
using Cluster.Jobs.InProcess;
using static Cluster.Tests.Jobs.BuiltIn.KindHarness;

namespace Cluster.Tests.Jobs.Typed;

public sealed class TypedKindTests
{
    private readonly SquaresKind _squares = new();

    [Fact]
    public void Parameters_FromRecord_DashedNamesTypesDefaultsDescriptionsAndRanges()
    {
        var specs = _squares.Parameters.ToDictionary(p => p.Name);

        Assert.Equal(["from", "to", "modulus", "scale", "label", "negate"], _squares.Parameters.Select(p => p.Name));
        Assert.Equal((ParameterType.Int, true, "First number", string.Empty), (specs["from"].Type, specs["from"].Required, specs["from"].Description, specs["from"].RangeText));
        Assert.Equal((ParameterType.Int, true, "End of the range (exclusive)", "1..3000000"), (specs["to"].Type, specs["to"].Required, specs["to"].Description, specs["to"].RangeText));
        Assert.Equal((ParameterType.Int, false, 1000L, "1..1000"), (specs["modulus"].Type, specs["modulus"].Required, specs["modulus"].DefaultValue, specs["modulus"].RangeText));
        Assert.Equal((ParameterType.Double, 1.5), (specs["scale"].Type, specs["scale"].DefaultValue));
        Assert.Equal((ParameterType.String, "sq"), (specs["label"].Type, specs["label"].DefaultValue));
        Assert.Equal((ParameterType.Bool, false), (specs["negate"].Type, specs["negate"].DefaultValue));
    }

    [Fact]
    public void Parameters_CamelCaseConstructorNames_AreDashed()
    {
        var kind = new BlockDigestKind();

        var spec = Assert.Single(kind.Parameters);
        Assert.Equal(("block-size", "1..1048576", "1000"), (spec.Name, spec.RangeText, spec.DefaultText));
    }

    [Fact]
    public void Run_RangeKind_MatchesDirectSumWhateverTheChunking()
    {
        const long from = 17, to = 200_003;
        long expected = 0;
        for (var i = from; i < to; i++)
        {
            expected += i * i % 997;
        }

        foreach (var options in Chunkings(chunkSize: 9_999))
        {
            var summary = Summary(Run(_squares, Params(("from", from), ("to", to), ("modulus", 997L)), options));

            Assert.Equal(expected, summary.GetProperty("sum").GetInt64());
        }
    }

    [Fact]
    public void Run_Result_MergesEveryChunkThenCompletes()
    {
        var summary = Summary(Run(_squares, Params(("from", 0L), ("to", 1_000L), ("scale", 0.5), ("label", "hi"), ("negate", true)), new InProcessRunOptions { Threads = 2, Chunks = 9 }));

        long expected = 0;
        for (long i = 0; i < 1_000; i++)
        {
            expected -= i * i % 1000;
        }

        Assert.Equal(expected, summary.GetProperty("sum").GetInt64());
        Assert.Equal(9, summary.GetProperty("chunks").GetInt64());
        Assert.Equal("hi", summary.GetProperty("label").GetString());
        Assert.Equal(expected * 0.5, summary.GetProperty("scaled").GetDouble());
    }

    [Theory]
    [InlineData("to", 0L, "to must be between 1 and 3000000 (got 0)")]
    [InlineData("to", 3_000_001L, "to must be between 1 and 3000000 (got 3000001)")]
    [InlineData("modulus", 0L, "modulus must be between 1 and 1000 (got 0)")]
    public void Plan_OutOfRange_RejectedNamingParameterAndRule(string name, long value, string message)
    {
        var parameters = Params(("from", 0L), ("to", 10L));
        parameters[name] = value;

        var error = Rejects(_squares, parameters);

        Assert.Equal((name, message), (error.Field, error.Message));
    }

    [Fact]
    public void Plan_MissingRequired_RejectedNamingIt()
    {
        var error = Rejects(_squares, Params(("from", 0L)));

        Assert.Equal("to is required", error.Message);
    }

    [Fact]
    public void Plan_WrongTypeOrUnknownName_Rejected()
    {
        Assert.Equal("to must be of type int, not string", Rejects(_squares, Params(("from", 0L), ("to", "ten"))).Message);
        Assert.StartsWith("count is not a parameter of this kind (known: from, to, modulus", Rejects(_squares, Params(("from", 0L), ("to", 5L), ("count", 1L))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ValidateRule_RejectedBeforeSplitting()
    {
        var error = Rejects(_squares, Params(("from", 10L), ("to", 10L)));

        Assert.Equal("to must be greater than 'from'", error.Message);
    }

    [Fact]
    public void Run_ItemKind_JsonChunksAndResultsMatchDirectLengths()
    {
        var kind = new LengthsKind();
        var expected = LengthsKind.Words.ToDictionary(w => w, w => w.Length);

        foreach (var options in Chunkings(chunkSize: 3))
        {
            var lengths = Summary(Run(kind, Params(), options)).GetProperty("lengths");

            Assert.Equal(expected, lengths.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()));
        }
    }

    [Fact]
    public void Run_LineKind_MatchesStringSplitWhateverTheChunking()
    {
        var random = new Random(3);
        var text = new StringBuilder();
        for (var i = 0; i < 2_000; i++)
        {
            text.Append(new string((char)('a' + random.Next(26)), random.Next(0, 120))).Append(i % 5 == 0 ? "\r\n" : "\n");
        }

        text.Append("last line without end");
        var input = new MemoryJobInput(Encoding.UTF8.GetBytes(text.ToString()));
        var lines = text.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        foreach (var options in Chunkings(chunkSize: 1_500))
        {
            var summary = Summary(Run(new LineStatsKind(), Params(), options, input));

            Assert.Equal(lines.Count, summary.GetProperty("lines").GetInt64());
            Assert.Equal(lines.Sum(l => (long)l.Length), summary.GetProperty("bytes").GetInt64());
            Assert.Equal(lines.Max(l => l.Length), summary.GetProperty("longest").GetInt64());
        }
    }

    [Fact]
    public void Plan_LineLongerThanTheChunkLimit_RejectedNamingInput()
    {
        var input = new MemoryJobInput(Encoding.UTF8.GetBytes("short\n" + new string('x', 300_000) + "\nend\n"));

        var error = Rejects(new LineStatsKind(), Params(), input: input);

        Assert.Equal("input", error.Field);
        Assert.Contains("line of more than 262144 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_InputKindWithoutInput_RejectedNamingInput()
    {
        var error = Rejects(new LineStatsKind(), Params());

        Assert.Equal("input", error.Field);
    }

    [Fact]
    public void Run_BlockKind_DigestsMatchDirectHashesOfEachBlock()
    {
        var data = new byte[10_500];
        new Random(8).NextBytes(data);

        var summary = Summary(Run(new BlockDigestKind(), Params(("block-size", 1_000L)), new InProcessRunOptions { Threads = 2, ShuffleSeed = 4 }, new MemoryJobInput(data)));

        var expected = data.Chunk(1_000).Select(b => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(b))).ToArray();
        Assert.Equal(expected, summary.GetProperty("digests").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(Enumerable.Range(0, 11).Select(i => i * 1_000L), summary.GetProperty("offsets").EnumerateArray().Select(e => e.GetInt64()));
    }
}
