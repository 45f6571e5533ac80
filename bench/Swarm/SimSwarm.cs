using System.Diagnostics;
using Cluster.Client;

namespace Cluster.Bench.Swarm;

/// <summary>N simulated workers in this process, each on its own connection to one coordinator. Disposing ends every stream.</summary>
internal sealed class SimSwarm : IAsyncDisposable
{
    /// <summary>The host name every simulated worker joins with, to tell them from anything else the coordinator lists.</summary>
    public const string Host = "swarm";

    private static readonly TimeSpan JoinDeadline = TimeSpan.FromMinutes(2);
    private readonly List<SimWorker> _workers;

    private SimSwarm(List<SimWorker> workers) => _workers = workers;

    public int Count => _workers.Count;

    /// <summary>Chunks the simulated workers answered with a result, together.</summary>
    public long Completed => _workers.Sum(w => w.Completed);

    /// <summary>The 99th percentile (nearest rank) of how late the simulated workers' heartbeats left this process, in milliseconds.</summary>
    public double TimerLatenessP99Ms() => Percentiles.NearestRank(_workers.SelectMany(w => w.TimerLatenessMs), 0.99);

    /// <summary>Why streams ended that nobody asked to end, one line each.</summary>
    public IReadOnlyList<string> Failures => [.. _workers.Where(w => w.Failure is not null).Select(w => $"{w.Id}: {w.Failure}")];

    /// <summary>
    /// Starts <paramref name="count"/> workers at once (a join storm) and returns when the coordinator lists them all,
    /// with the time that took.
    /// </summary>
    public static async Task<(SimSwarm Swarm, TimeSpan JoinStorm)> JoinAsync(
        Uri address, int count, int threads, string? token, ClusterClient client, CancellationToken cancellationToken)
    {
        var swarm = new SimSwarm([.. Enumerable.Range(0, count).Select(i => new SimWorker(address, $"swarm-{i:D4}", threads, token))]);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(JoinDeadline);
            var clock = Stopwatch.StartNew();
            foreach (var worker in swarm._workers)
            {
                worker.Start();
            }

            await Task.WhenAll(swarm._workers.Select(w => w.Joined)).WaitAsync(deadline.Token);
            while ((await client.ListWorkersAsync(cancellationToken: deadline.Token)).Count(w => w.Host == Host) < count)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), deadline.Token);
            }

            return (swarm, clock.Elapsed);
        }
        catch
        {
            await swarm.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }
    }
}
