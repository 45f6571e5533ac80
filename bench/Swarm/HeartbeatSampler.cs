using Cluster.Client;

namespace Cluster.Bench.Swarm;

/// <summary>
/// The coordinator's view of heartbeats: every 250 ms it lists the workers and takes, for each simulated one, how far
/// its silence (now minus the last message the coordinator received from it) runs beyond one heartbeat interval.
/// A worker whose heartbeats arrive on time is never more than one interval silent; what lies beyond is lag, and a
/// lag that reaches the lease gets a live worker declared dead.
/// </summary>
internal sealed class HeartbeatSampler(ClusterClient client, TimeSpan heartbeatInterval)
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);
    private readonly List<double> _lagMs = [];

    /// <summary>Samples until cancelled; a failed listing ends the sampling with its exception.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var workers = await client.ListWorkersAsync(cancellationToken: cancellationToken);
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                lock (_lagMs)
                {
                    _lagMs.AddRange(workers.Where(w => w.Host == SimSwarm.Host).Select(w => Math.Max(0, now - w.LastSeenUnixMs - heartbeatInterval.TotalMilliseconds)));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Sampling ends with the phase it watched.
        }
    }

    /// <summary>Samples taken so far.</summary>
    public int Count
    {
        get
        {
            lock (_lagMs)
            {
                return _lagMs.Count;
            }
        }
    }

    /// <summary>The largest lag of any sample, in milliseconds.</summary>
    public double MaxMs()
    {
        lock (_lagMs)
        {
            return _lagMs.Count == 0 ? throw new InvalidOperationException("No heartbeat sample was taken.") : _lagMs.Max();
        }
    }

    /// <summary>The 99th percentile of the lag over every sample of every worker, in milliseconds (nearest rank).</summary>
    public double P99Ms()
    {
        lock (_lagMs)
        {
            return Percentiles.NearestRank(_lagMs, 0.99);
        }
    }
}
