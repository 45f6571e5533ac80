using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Scheduling;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Membership;

/// <summary>
/// Ends the session of any worker silent for longer than the lease: a frozen process, a dead network path or a
/// half-open connection never closes its stream, so silence is the only sign. Its chunks then run elsewhere.
/// </summary>
internal sealed partial class LivenessMonitor(
    WorkerRegistry registry,
    Scheduler scheduler,
    IOptions<CoordinatorOptions> options,
    TimeProvider time,
    ILogger<LivenessMonitor> logger) : BackgroundService
{
    private readonly TimeSpan _lease = options.Value.Lease;
    private readonly TimeSpan _period = options.Value.HeartbeatInterval / 4;

    /// <summary>Checks every session once; returns how many were ended.</summary>
    public int CheckOnce()
    {
        var expired = 0;
        foreach (var session in registry.Connected)
        {
            var silence = session.Silence;
            if (silence > _lease)
            {
                LogLeaseExpired(logger, session.WorkerId, (long)silence.TotalMilliseconds, (long)_lease.TotalMilliseconds);
                session.Abort($"missed heartbeats: silent for {(long)silence.TotalMilliseconds} ms (lease {(long)_lease.TotalMilliseconds} ms)");
                expired++;
            }
        }

        return expired;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(_period, time, stoppingToken);
            CheckOnce();

            // Some decisions depend on time alone (a straggler's backup, a quarantine's end): revisit them.
            scheduler.WakeAll();
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Worker {WorkerId} silent for {SilenceMs} ms, beyond its lease of {LeaseMs} ms: ending its session")]
    private static partial void LogLeaseExpired(ILogger logger, string workerId, long silenceMs, long leaseMs);
}
