using Cluster.Tests.Fakes;
using Cluster.Worker.Connection;
using Cluster.Worker.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cluster.Tests.Worker.Connection;

public sealed class JoinPipelineTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Create_CoordinatorNotListeningYet_RetriesEveryStartJoinDelayThenBacksOffAfterTheWindow()
    {
        var time = new SignallingTimeProvider();
        var options = new WorkerOptions
        {
            Coordinator = "http://127.0.0.1:7400",
            StartJoinWindow = TimeSpan.FromSeconds(1),
            StartJoinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromSeconds(5),
        };
        var pipeline = JoinPipeline.Create(options, time, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var attempts = 0;
        var run = pipeline.ExecuteAsync<int>(
            _ =>
            {
                Interlocked.Increment(ref attempts);
                throw new RpcException(new Status(StatusCode.Unavailable, "Connection refused"));
            },
            stop.Token).AsTask();

        // Within the window: one attempt every 50 ms, 20 of them in the first second after the first.
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(options.StartJoinDelay, await time.TimerCreatedAsync().WaitAsync(Bound));
            time.Advance(options.StartJoinDelay);
        }

        // Past it: the exponential backoff, capped at ReconnectMaxDelay.
        var later = await time.TimerCreatedAsync().WaitAsync(Bound);
        Assert.InRange(later, options.StartJoinDelay + TimeSpan.FromTicks(1), options.ReconnectMaxDelay);
        Assert.Equal(21, Volatile.Read(ref attempts));

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Bound));
    }

    [Fact]
    public async Task Create_TokenRefused_DoesNotRetry()
    {
        var time = new SignallingTimeProvider();
        var pipeline = JoinPipeline.Create(new WorkerOptions { Coordinator = "http://127.0.0.1:7400" }, time, NullLogger.Instance);
        var attempts = 0;

        var error = await Assert.ThrowsAsync<RpcException>(() => pipeline.ExecuteAsync<int>(
            _ =>
            {
                attempts++;
                throw new RpcException(new Status(StatusCode.Unauthenticated, "no token"));
            },
            CancellationToken.None).AsTask().WaitAsync(Bound));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal(1, attempts);
    }
}
