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
}
