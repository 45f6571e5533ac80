using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using Cluster.Coordinator.Dispatch;

namespace Cluster.Tests.Coordinator.Dispatch;

public sealed class PayloadBuffersTests
{
    [Fact]
    public void Take_PayloadOutgrowsItsBuffer_StaysContiguousAndEarlierPayloadsKeepTheirs()
    {
        var pool = new RecordingPool();
        using var buffers = new PayloadBuffers(pool);
        buffers.Begin();
        Write(buffers, 1000, 0xA1);
        var first = buffers.Take();

        buffers.Begin();
        Write(buffers, 10, 0xB2);
        Write(buffers, 100_000, 0xB2);
        var second = buffers.Take();

        Assert.Equal(2, pool.Rented.Count);
        Assert.Equal(1000, first.Length);
        Assert.True(first.Span.IndexOfAnyExcept((byte)0xA1) < 0);
        Assert.Equal(100_010, second.Length);
        Assert.True(second.Span.IndexOfAnyExcept((byte)0xB2) < 0);
    }

    [Fact]
    public void Take_WrittenPayload_WrapsTheBufferWithoutCopying()
    {
        using var buffers = new PayloadBuffers(new RecordingPool());
        buffers.Begin();
        var memory = buffers.GetMemory(8);
        memory.Span[..8].Fill(7);
        buffers.Advance(8);

        var taken = buffers.Take();

        Assert.True(MemoryMarshal.TryGetArray<byte>(memory, out var written));
        Assert.True(MemoryMarshal.TryGetArray(taken.Memory, out var wrapped));
        Assert.Same(written.Array, wrapped.Array);
        Assert.Equal(written.Offset, wrapped.Offset);
        Assert.Equal(8, wrapped.Count);
    }

    [Fact]
    public void Release_AfterABatch_ReturnsEveryBufferAndStartsOver()
    {
        var pool = new RecordingPool();
        using var buffers = new PayloadBuffers(pool);
        buffers.Begin();
        Write(buffers, 1000, 1);
        buffers.Begin();
        Write(buffers, 100_000, 2);

        buffers.Release();

        Assert.Equal(pool.Rented, pool.Returned);
        Assert.Equal(0, buffers.Length);
        Assert.True(buffers.Take().IsEmpty);
        buffers.Begin();
        Write(buffers, 8, 3);
        Assert.Equal(3, pool.Rented.Count);
        Assert.Equal([3, 3, 3, 3, 3, 3, 3, 3], buffers.Take().ToByteArray());
    }

    private static void Write(PayloadBuffers buffers, int count, byte value)
    {
        buffers.GetSpan(count)[..count].Fill(value);
        buffers.Advance(count);
    }

    /// <summary>A pool that hands out fresh arrays and records what was rented and returned.</summary>
    private sealed class RecordingPool : ArrayPool<byte>
    {
        public List<byte[]> Rented { get; } = [];

        public List<byte[]> Returned { get; } = [];

        public override byte[] Rent(int minimumLength)
        {
            var array = new byte[BitOperations.RoundUpToPowerOf2((uint)minimumLength)];
            Rented.Add(array);
            return array;
        }

        public override void Return(byte[] array, bool clearArray = false) => Returned.Add(array);
    }
}
