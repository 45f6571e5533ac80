using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Dashboard;

/// <summary>Counts the dashboard event streams open, up to <see cref="DashboardOptions.MaxStreams"/>.</summary>
internal sealed class DashboardStreams(IOptions<DashboardOptions> options)
{
    private int _open;

    /// <summary>Streams open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Takes a place for one more stream; false when all are taken.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _open) <= options.Value.MaxStreams)
        {
            return true;
        }

        Interlocked.Decrement(ref _open);
        return false;
    }

    /// <summary>Gives back a place <see cref="TryEnter"/> took.</summary>
    public void Exit() => Interlocked.Decrement(ref _open);
}
