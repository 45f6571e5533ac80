using System.Text;
using Cluster.Jobs;
using Cluster.Jobs.InProcess;
using Cluster.Jobs.Splitting;
using Cluster.Jobs.Typed;

namespace Cluster.Tests.Jobs.Splitting;

public sealed class LineRangesTests
{
    public static TheoryData<string> Texts() => new()
    {
        string.Empty,
        "a",
        "\n",
        "\n\n\n",
        "ab",
        "ab\n",
        "one\ntwo\nthree\n",
        "no final newline\nsecond line",
        "crlf one\r\ncrlf two\r\n\r\nlast\r\n",
        "crlf without final\r\nend\r",
        "a much longer line that crosses many chunk boundaries at small sizes\nx\n\nyz\n",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Read_EveryChunkSize_EachLineInExactlyOneChunk(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var input = new MemoryJobInput(bytes);
        var expected = SequentialLines(text);

        // Sizes 1 .. length + 1: lines cross every boundary, and ranges end exactly on line ends.
        for (var size = 1; size <= bytes.Length + 1; size++)
        {
            var lines = new List<string>();
            var joined = new List<byte>();
            var layout = ChunkLayout.BySize(Math.Max(1, bytes.Length), size);
            for (long i = 0; i < layout.Count; i++)
            {
                var (start, end) = layout.Range(i);
                var offset = LineRanges.Read(input, new LongRange(start, Math.Min(end, bytes.Length)), int.MaxValue, out var data);
                Assert.True(offset == 0 || offset == bytes.Length || bytes[offset - 1] == (byte)'\n', $"size {size}, chunk {i} starts at {offset}, not at a line start");
                Assert.Equal(joined.Count, offset);
                joined.AddRange(data);
                foreach (var line in new InputChunk(i, offset, data).Lines)
                {
                    lines.Add(Encoding.UTF8.GetString(line));
                }
            }

            Assert.Equal(bytes, joined.ToArray());
            Assert.Equal(expected, lines);
        }
    }

    [Theory]
    [InlineData(2L)]
    [InlineData(7L)]
    [InlineData(13L)]
    public void Align_SameNominalSplit_SameRangesAsTheCoordinatorsLineSplit(long chunks)
    {
        var random = new Random(11);
        var text = string.Concat(Enumerable.Range(0, 300).Select(_ => new string('w', random.Next(0, 90)) + (random.Next(3) == 0 ? "\r\n" : "\n")));
        var input = new MemoryJobInput(Encoding.UTF8.GetBytes(text));
        var context = new JobPlanContext(JobParameters.Bind([], new Dictionary<string, object>()), input, new ChunkingRequest(chunks, 0, 4, 0));
        var coordinator = Splitters.Lines(context);
        var layout = ChunkLayout.Even(input.Length, chunks);

        var aligned = Enumerable.Range(0, (int)chunks)
            .Select(i => layout.Range(i))
            .Select(r => LineRanges.Align(input, new LongRange(r.Start, r.End)))
            .Where(r => r.Length > 0)
            .ToArray();

        Assert.Equal(Enumerable.Range(0, (int)coordinator.ChunkCount).Select(i => coordinator.GetChunk(i)), aligned);
    }

    [Fact]
    public void Align_LineCrossingTheWholeRange_Empty()
    {
        var input = new MemoryJobInput(Encoding.UTF8.GetBytes("short\n" + new string('x', 100) + "\nend\n"));

        var range = LineRanges.Align(input, new LongRange(20, 40));

        Assert.Equal(0, range.Length);
    }

    [Fact]
    public void Read_LinesLongerThanTheLimit_InvalidDataNamingTheBytes()
    {
        var input = new MemoryJobInput(Encoding.UTF8.GetBytes("a\n" + new string('x', 100) + "\n"));

        var error = Assert.Throws<InvalidDataException>(() => LineRanges.Read(input, new LongRange(0, 10), 50, out _));

        Assert.Contains("more than the 50 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadExactly_PastTheEnd_InvalidDataNamingWhere()
    {
        var input = new MemoryJobInput(new byte[10]);

        var error = Assert.Throws<InvalidDataException>(() => LineRanges.ReadExactly(input, 5, new byte[8]));

        Assert.Contains("ended at byte 10", error.Message, StringComparison.Ordinal);
    }

    // Independent of the SDK's line enumerator: split on '\n', drop the empty tail after a final '\n', strip one '\r'.
    private static List<string> SequentialLines(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var parts = text.Split('\n').ToList();
        if (text.EndsWith('\n'))
        {
            parts.RemoveAt(parts.Count - 1);
        }

        return [.. parts.Select(p => p.EndsWith('\r') ? p[..^1] : p)];
    }
}
