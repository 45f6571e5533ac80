using System.Threading.Channels;

namespace Cluster.Hosting;

/// <summary>
/// An auto-reset wake-up call for one waiting loop: any number of <see cref="Set"/> calls before the next
/// <see cref="WaitAsync"/> collapse into one wake-up, so producers never block and never queue up work items.
/// </summary>
public sealed class AsyncSignal
{
    private readonly Channel<byte> _channel = Channel.CreateBounded<byte>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Wakes the waiter (now, or at its next wait).</summary>
    public void Set() => _channel.Writer.TryWrite(0);

    /// <summary>Waits for the next wake-up.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken) =>
        await _channel.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
}
