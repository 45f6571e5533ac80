using System.Text;
using Cluster.Jobs;
using Cluster.Jobs.InProcess;
using Cluster.Jobs.Splitting;

namespace Cluster.Tests.Jobs.Splitting;

public sealed class SplittersTests
{
    [Theory]
    [InlineData(0L, 0L, 100L, 4L)]
    [InlineData(5L, 0L, 1_000_003L, 5L)]
    [InlineData(0L, 1_000L, 10_001L, 0L)]
    public void Range_CoversStartToEndContiguously(long chunks, long chunkSize, long end, long expectedCount)
    {
        var splitter = Splitters.Range(Context(chunks, chunkSize), 1, end + 1);

        var ranges = All(splitter);

        Assert.Equal(expectedCount > 0 ? expectedCount : (end + chunkSize - 1) / chunkSize, splitter.ChunkCount);
        Assert.Equal(1, ranges[0].Start);
        Assert.Equal(end + 1, ranges[^1].End);
        Assert.All(ranges.Zip(ranges.Skip(1)), pair => Assert.Equal(pair.First.End, pair.Second.Start));
        Assert.All(ranges, r => Assert.True(r.Length > 0));
        if (chunkSize > 0)
        {
            Assert.All(ranges[..^1], r => Assert.Equal(chunkSize, r.Length));
        }
    }

    [Fact]
    public void Range_MoreChunksThanTheCoordinatorAllows_RejectedNamingChunks()
    {
        var error = Assert.Throws<JobParameterException>(() => Splitters.Range(Context(chunks: 50, maxChunks: 10), 0, 1_000));

        Assert.Equal("chunks", error.Field);
    }

    [Fact]
    public void Items_BatchesConcatenateToTheList()
    {
        var items = Enumerable.Range(0, 23).Select(i => $"item{i}").ToArray();

        var splitter = Splitters.Items(Context(chunks: 5), items);

        Assert.Equal(5, splitter.ChunkCount);
        Assert.Equal(items, All(splitter).SelectMany(b => b));
        Assert.All(All(splitter), b => Assert.InRange(b.Length, 4, 5));
    }

    [Fact]
    public void Lines_BoundariesFallAtLineStartsAndCoverTheInput()
    {
        var random = new Random(12);
        var text = string.Concat(Enumerable.Range(0, 500).Select(_ => new string('w', random.Next(0, 80)) + "\n"));
        var bytes = Encoding.UTF8.GetBytes(text);

        var ranges = All(Splitters.Lines(Context(chunks: 13, input: bytes)));

        Assert.Equal(0, ranges[0].Start);
        Assert.Equal(bytes.Length, ranges[^1].End);
        Assert.All(ranges.Zip(ranges.Skip(1)), pair => Assert.Equal(pair.First.End, pair.Second.Start));
        Assert.All(ranges.Skip(1), r => Assert.Equal((byte)'\n', bytes[r.Start - 1]));
        Assert.InRange(ranges.Length, 10, 13);
    }

    [Fact]
    public void Lines_TooFewRequestedChunksForTheLimit_RejectedNamingChunks()
    {
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("0123456789\n", 100)));

        var error = Assert.Throws<JobParameterException>(() => Splitters.Lines(Context(chunks: 1, input: bytes), maxChunkBytes: 200));

        Assert.Equal("chunks", error.Field);
    }

    [Fact]
    public void Blocks_FixedSizeWithShorterLast()
    {
        var ranges = All(Splitters.Blocks(Context(input: new byte[2_500]), 1_000));

        Assert.Equal([new LongRange(0, 1_000), new LongRange(1_000, 2_000), new LongRange(2_000, 2_500)], ranges);
    }

    [Fact]
    public void Blocks_MoreThanTheCoordinatorAllows_RejectedNamingTheBlockSize()
    {
        var error = Assert.Throws<JobParameterException>(() => Splitters.Blocks(Context(maxChunks: 3, input: new byte[2_500]), 500, "bytes-per-block"));

        Assert.Equal("bytes-per-block", error.Field);
        Assert.Contains("5 blocks", error.Message, StringComparison.Ordinal);
    }

    private static JobPlanContext Context(long chunks = 0, long chunkSize = 0, long maxChunks = 0, byte[]? input = null) =>
        new(JobParameters.Bind([], new Dictionary<string, object>()), input is null ? null : new MemoryJobInput(input), new ChunkingRequest(chunks, chunkSize, 4, maxChunks));

    private static T[] All<T>(Splitter<T> splitter)
    {
        var chunks = new T[splitter.ChunkCount];
        for (var i = 0; i < chunks.Length; i++)
        {
            chunks[i] = splitter.GetChunk(i);
        }

        return chunks;
    }
}
