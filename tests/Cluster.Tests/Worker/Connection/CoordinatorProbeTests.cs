using System.Net;
using System.Net.Sockets;
using Cluster.Client.Local;
using Cluster.Tests.Fakes;
using Cluster.Worker.Connection;
using Cluster.Worker.Hosting;

namespace Cluster.Tests.Worker.Connection;

/// <summary>The wait for a coordinator's port before the first join, against real loopback sockets and fake time.</summary>
public sealed class CoordinatorProbeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WaitForListenerAsync_PortOpensAfterARefusal_ReturnsTrueOnceItAccepts()
    {
        var time = new SignallingTimeProvider();
        var port = ClusterLauncher.FreeLoopbackPort();
        var options = Options(port, window: TimeSpan.FromSeconds(10));

        var probe = CoordinatorProbe.WaitForListenerAsync(options, time, CancellationToken.None);

        // Refused: it waits its 50 ms before trying again.
        Assert.Equal(options.StartJoinDelay, await time.TimerCreatedAsync().WaitAsync(Bound));
        Assert.False(probe.IsCompleted);
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        time.Advance(options.StartJoinDelay);
        Assert.True(await probe.WaitAsync(Bound));
    }

    [Fact]
    public async Task WaitForListenerAsync_NothingListensWithinTheWindow_ReturnsFalseAfterItsTries()
    {
        var time = new SignallingTimeProvider();
        var options = Options(ClusterLauncher.FreeLoopbackPort(), window: TimeSpan.FromMilliseconds(200));

        var probe = CoordinatorProbe.WaitForListenerAsync(options, time, CancellationToken.None);

        // 200 ms of 50 ms delays: four waits, then it gives up and leaves the rest to the join's retries.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(options.StartJoinDelay, await time.TimerCreatedAsync().WaitAsync(Bound));
            time.Advance(options.StartJoinDelay);
        }

        Assert.False(await probe.WaitAsync(Bound));
    }

    private static WorkerOptions Options(int port, TimeSpan window) => new()
    {
        Coordinator = $"http://127.0.0.1:{port}",
        StartJoinWindow = window,
        StartJoinDelay = TimeSpan.FromMilliseconds(50),
    };
}
