using Cluster.Contracts.V1;
using Cluster.Worker.Execution;

namespace Cluster.Worker.Reporting;

/// <summary>
/// Queues a heartbeat on the session's writer every interval, on the injected clock. It runs on the shared thread pool,
/// which chunk computation never occupies, so a busy worker still proves it is alive. Each carries the process's CPU
/// time and working set, for the coordinator's dashboard.
/// </summary>
internal sealed class HeartbeatLoop(OutboundWriter writer, IComputeLoad load, TimeProvider time, TimeSpan interval)
{
    /// <summary>Sends heartbeats until the token fires.</summary>
    public async Task RunAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            await Task.Delay(interval, time, token);
            var heartbeat = new Heartbeat
            {
                SentUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
                Running = load.Running,
                Queued = load.Queued,
                ProcessCpuSeconds = Environment.CpuUsage.TotalTime.TotalSeconds,
                WorkingSetBytes = Environment.WorkingSet,
            };
            writer.EnqueueControl(new WorkerMessage { Heartbeat = heartbeat });
        }
    }
}
