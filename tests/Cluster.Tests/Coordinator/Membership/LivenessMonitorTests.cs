using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Membership;
using Microsoft.Extensions.Logging.Abstractions;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace Cluster.Tests.Coordinator.Membership;

public sealed class LivenessMonitorTests
{
    private static readonly CoordinatorOptions Options = new() { HeartbeatInterval = TimeSpan.FromSeconds(1), Lease = TimeSpan.FromSeconds(5) };

    [Fact]
    public void CheckOnce_SilentBeyondLease_EndsSessionWithReason()
    {
        var host = new CoordinatorTestHost(Options);
        var worker = host.AddWorker("w", 1);
        var monitor = new LivenessMonitor(host.Registry, host.Scheduler, OptionsFactory.Create(Options), host.Time, NullLogger<LivenessMonitor>.Instance);

        host.Time.Advance(TimeSpan.FromSeconds(5.5));

        Assert.Equal(1, monitor.CheckOnce());
        Assert.True(worker.Lifetime.IsCancellationRequested);
        Assert.StartsWith("missed heartbeats", worker.DepartureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckOnce_HeartbeatsWithinLease_KeepsSession()
    {
        var host = new CoordinatorTestHost(Options);
        var worker = host.AddWorker("w", 1);
        var monitor = new LivenessMonitor(host.Registry, host.Scheduler, OptionsFactory.Create(Options), host.Time, NullLogger<LivenessMonitor>.Instance);

        for (var i = 0; i < 20; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
            worker.Touch();
            Assert.Equal(0, monitor.CheckOnce());
        }

        Assert.False(worker.Lifetime.IsCancellationRequested);
    }
}
