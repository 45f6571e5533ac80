using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Cluster.Coordinator.Transport;

/// <summary>
/// The memory Kestrel's socket transport and its pipes are built from, in blocks of at least
/// <see cref="Hosting.CoordinatorOptions.TransportBlockBytes"/>. Kestrel's own pool hands out 4 KiB blocks, and its
/// socket transport reads into one block at a time: 512 MiB of upload took 263,000 socket reads (2 KB on average), each
/// also a turn of the HTTP/2 frame loop; with 64 KiB blocks, 17,000. Every pipe of every connection takes its blocks
/// from here too, so the size is a trade: with 1,000 workers connected, 64 KiB blocks cost the coordinator 300 MB more
/// than 4 KiB ones, 16 KiB blocks 50 MB, and 16 KiB already gave the upload rate of 64 KiB (README "Uploaded input,
/// streamed"). The blocks come from the shared array pool, so a block a connection gives back serves the next one.
/// </summary>
internal sealed class TransportBlocks(int blockBytes) : IMemoryPoolFactory<byte>
{
    /// <summary>A pool of this factory's block size; every pool shares the process's array pool.</summary>
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new Pool(blockBytes);

    private sealed class Pool(int blockBytes) : MemoryPool<byte>
    {
        // As MemoryPool<byte>.Shared: any size can be rented. Kestrel's pipes ask for at least min(4 KiB, this) and
        // use all of the block they get.
        public override int MaxBufferSize => Array.MaxLength;

        public override IMemoryOwner<byte> Rent(int minBufferSize = -1) => new Block(ArrayPool<byte>.Shared.Rent(Math.Max(minBufferSize, blockBytes)));

        protected override void Dispose(bool disposing)
        {
        }
    }

    private sealed class Block(byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? array = array;

        public Memory<byte> Memory => array ?? throw new ObjectDisposedException(nameof(Block));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref array, null) is { } returned)
            {
                ArrayPool<byte>.Shared.Return(returned);
            }
        }
    }
}
