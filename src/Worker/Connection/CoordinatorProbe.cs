using System.Net.Sockets;
using Cluster.Worker.Hosting;
using Polly;
using Polly.Retry;

namespace Cluster.Worker.Connection;

/// <summary>
/// Before a worker's first join: waits until the coordinator's port accepts a TCP connection, trying every
/// <see cref="WorkerOptions.StartJoinDelay"/> for at most <see cref="WorkerOptions.StartJoinWindow"/>.
/// </summary>
/// <remarks>
/// A coordinator started at the same moment as its workers (a local cluster starts them together) listens a second or
/// so later. Joining through the gRPC channel before then fails, and each refused connection puts the channel into its
/// own reconnect backoff, which grows to <see cref="WorkerOptions.ReconnectMaxDelay"/>: calls made meanwhile fail at
/// once with the old error, so the worker would join seconds after the coordinator listened. A plain socket has no
/// such memory, so the channel's first connection is made once the port is open.
/// </remarks>
internal static class CoordinatorProbe
{
    /// <summary>True once a connection was accepted; false when the window passed first (the join's own retries go on).</summary>
    public static async Task<bool> WaitForListenerAsync(WorkerOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var coordinator = new Uri(options.Coordinator);
        var attempts = (int)Math.Min(int.MaxValue - 1, options.StartJoinWindow.Ticks / options.StartJoinDelay.Ticks);
        if (attempts < 1)
        {
            return false;
        }

        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<SocketException>(),
                BackoffType = DelayBackoffType.Constant,
                Delay = options.StartJoinDelay,
                MaxRetryAttempts = attempts,
            })
            .Build();
        try
        {
            await pipeline.ExecuteAsync(
                async ct =>
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(coordinator.Host, coordinator.Port, ct);
                },
                cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
