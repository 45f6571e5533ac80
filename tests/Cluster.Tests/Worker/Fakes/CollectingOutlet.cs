using System.Collections.Concurrent;
using System.Threading.Channels;
using Cluster.Contracts.V1;
using Cluster.Worker.Reporting;

namespace Cluster.Tests.Worker.Fakes;

/// <summary>A session standing in for carried results: takes what it is sent (up to a capacity), and tells when results arrive.</summary>
internal sealed class CollectingOutlet(int capacity = int.MaxValue) : IResultOutlet
{
    private readonly ConcurrentQueue<ChunkResult> _received = new();
    private readonly Channel<bool> _arrived = Channel.CreateUnbounded<bool>();

    public IReadOnlyList<ChunkResult> Received => [.. _received];

    public bool TrySendCarried(ChunkResult result)
    {
        if (_received.Count >= capacity)
        {
            return false;
        }

        _received.Enqueue(result);
        _arrived.Writer.TryWrite(true);
        return true;
    }

    /// <summary>Completes once <paramref name="count"/> results in all have arrived.</summary>
    public async Task WaitForAsync(int count)
    {
        while (_received.Count < count)
        {
            await _arrived.Reader.ReadAsync();
        }
    }
}
