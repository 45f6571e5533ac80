using Cluster.Coordinator.Scheduling;

namespace Cluster.Tests.Coordinator.Scheduling;

public sealed class ChunkQueueTests
{
    [Fact]
    public void TryTakeFresh_Withheld_TakesOnlyReleasedChunks()
    {
        var queue = new ChunkQueue(5);
        queue.Withhold();

        Assert.False(queue.TryTakeFresh(out _));
        Assert.True(queue.HasPending);

        Assert.True(queue.Release(2));
        Assert.True(queue.TryTakeFresh(out var first));
        Assert.True(queue.TryTakeFresh(out var second));
        Assert.False(queue.TryTakeFresh(out _));
        Assert.Equal((0, 1), (first, second));
        Assert.True(queue.HasPending);

        Assert.True(queue.Release(5));
        Assert.True(queue.TryTakeFresh(out var third));
        Assert.Equal(2, third);
    }

    [Fact]
    public void Release_NotBeyondWhatIsReleased_ReleasesNothing()
    {
        var queue = new ChunkQueue(4);
        queue.Withhold();
        queue.Release(3);

        Assert.False(queue.Release(3));
        Assert.False(queue.Release(1));
        Assert.True(queue.Release(100));
        Assert.Equal(4, queue.Released);
    }

    [Fact]
    public void Released_NeverWithheld_AllChunks()
    {
        var queue = new ChunkQueue(3);

        Assert.Equal(3, queue.Released);
        Assert.False(queue.Release(3));
    }
}
