using Cluster.Jobs.BuiltIn.Diagnostics;
using Cluster.Jobs.InProcess;
using static Cluster.Tests.Jobs.BuiltIn.KindHarness;

namespace Cluster.Tests.Jobs.BuiltIn;

public sealed class NoopKindTests
{
    private readonly NoopKind _kind = new();

    [Theory]
    [InlineData(1L)]
    [InlineData(17L)]
    [InlineData(20_000L)]
    public void Run_RequestedChunks_MergesThatMany(long chunks)
    {
        var summary = Summary(Run(_kind, Params(), new InProcessRunOptions { Threads = 2, Chunks = chunks, ShuffleSeed = 1 }));

        Assert.Equal(chunks, summary.GetProperty("chunks").GetInt64());
    }

    [Fact]
    public void Run_NothingRequested_UsesDefaultChunks()
    {
        var summary = Summary(Run(_kind, Params(), new InProcessRunOptions { Threads = 2, DefaultChunks = 12 }));

        Assert.Equal(12, summary.GetProperty("chunks").GetInt64());
    }

    [Fact]
    public void Plan_ChunkSize_ThrowsNamingChunkSize()
    {
        Assert.Equal("chunk_size", Rejects(_kind, Params(), new InProcessRunOptions { ChunkSize = 10 }).Field);
    }

    [Fact]
    public void Plan_OverMaxChunks_ThrowsNamingChunks()
    {
        Assert.Equal("chunks", Rejects(_kind, Params(), new InProcessRunOptions { Chunks = 101, MaxChunks = 100 }).Field);
    }

    [Fact]
    public void Plan_AnyParameter_ThrowsNamingIt()
    {
        Assert.Equal("ms", Rejects(_kind, Params(("ms", 1L))).Field);
    }
}
