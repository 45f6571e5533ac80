using Cluster.Jobs;

namespace Cluster.Tests.Jobs;

public sealed class ChunkingRequestTests
{
    [Theory]
    [InlineData(10, 3)]
    [InlineData(1_000_000_007, 64)]
    [InlineData(5, 5)]
    public void Split_EvenRequest_CoversEveryUnitOnce(long total, long chunks)
    {
        var layout = new ChunkingRequest(chunks, 0, 8, 0).Split(total);

        Assert.Equal(chunks, layout.Count);
        long next = 0;
        for (long i = 0; i < layout.Count; i++)
        {
            var (start, end) = layout.Range(i);
            Assert.Equal(next, start);
            Assert.True(end - start >= total / chunks && end - start <= (total / chunks) + 1);
            next = end;
        }

        Assert.Equal(total, next);
    }

    [Fact]
    public void Split_ChunkSize_LastChunkTakesRemainder()
    {
        var layout = new ChunkingRequest(0, 4, 8, 0).Split(10);

        Assert.Equal(3, layout.Count);
        Assert.Equal((8L, 10L), layout.Range(2));
    }

    [Fact]
    public void Split_MoreChunksThanUnits_OneUnitPerChunk()
    {
        Assert.Equal(3, new ChunkingRequest(100, 0, 8, 0).Split(3).Count);
    }

    [Fact]
    public void Split_OverMaximum_ThrowsNamingField()
    {
        var ex = Assert.Throws<JobParameterException>(() => new ChunkingRequest(0, 1, 8, 100).Split(1000));

        Assert.Equal("chunk_size", ex.Field);
    }

    [Fact]
    public void SplitCapped_DefaultWouldOverflowTheCap_MoreChunksEachUnderIt()
    {
        var layout = new ChunkingRequest(0, 0, 4, 0).SplitCapped(1000, 100, "bytes");

        Assert.Equal(10, layout.Count);
        Assert.All(Enumerable.Range(0, 10), i => Assert.True(layout.Range(i).End - layout.Range(i).Start <= 100));
    }

    [Fact]
    public void SplitCapped_UnderTheCap_SameAsSplit()
    {
        Assert.Equal(new ChunkingRequest(0, 0, 4, 0).Split(1000), new ChunkingRequest(0, 0, 4, 0).SplitCapped(1000, 250, "bytes"));
    }

    [Theory]
    [InlineData(2, 0, "chunks", "would make chunks of 500 rows; at most 100 fit in one chunk")]
    [InlineData(0, 300, "chunk_size", "would make chunks of 300 rows; at most 100 fit in one chunk")]
    public void SplitCapped_UserAskedForChunksOverTheCap_ThrowsNamingFieldAndCap(long chunks, long chunkSize, string field, string rule)
    {
        var ex = Assert.Throws<JobParameterException>(() => new ChunkingRequest(chunks, chunkSize, 4, 0).SplitCapped(1000, 100, "rows"));

        Assert.Equal(field, ex.Field);
        Assert.Contains(rule, ex.Message, StringComparison.Ordinal);
    }
}
