using Cluster.Contracts.V1;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Journal;
using Cluster.Coordinator.LocalReads;
using Cluster.Coordinator.Membership;
using Cluster.Coordinator.Scheduling;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Dispatch;

/// <summary>
/// Each session's single writer of its stream: woken when there may be something to send, it writes the control
/// items queued on the session first (cancels, closed jobs), then takes as much work as the session has slots for
/// and writes it as assignment batches.
/// </summary>
internal sealed class SendLoop(Scheduler scheduler, AssignmentWriter assignments, CoordinatorJournal journal, LocalReadProbe probe, IOptions<CoordinatorOptions> options)
{
    private readonly CoordinatorOptions _options = options.Value;
    private readonly long _epoch = journal.Epoch;
    private readonly LocalReadProbe _probe = probe;

    /// <summary>The sender for one worker's stream.</summary>
    public IWorkerSender Over(IServerStreamWriter<CoordinatorMessage> stream) => new StreamSender(this, stream);

    private async Task RunAsync(WorkerSession session, IServerStreamWriter<CoordinatorMessage> stream, CancellationToken cancellationToken)
    {
        var taken = new List<Assignment>();
        using var buffers = new PayloadBuffers();
        while (true)
        {
            await session.WaitForWakeAsync(cancellationToken);
            while (session.TryDequeueControl(out var control))
            {
                await stream.WriteAsync(ControlMessages.ToMessage(control), cancellationToken);
            }

            taken.Clear();
            scheduler.TakeWork(session, taken);
            await assignments.WriteAsync(session, taken, buffers, stream, cancellationToken);
        }
    }

    private sealed class StreamSender(SendLoop loop, IServerStreamWriter<CoordinatorMessage> stream) : IWorkerSender
    {
        public Task AcceptAsync(WorkerSession session, CancellationToken cancellationToken) =>
            stream.WriteAsync(ControlMessages.JoinAccepted(session, loop._options.HeartbeatInterval, loop._options.Lease, loop._epoch, loop._probe.Offer()), cancellationToken);

        public Task RunAsync(WorkerSession session, CancellationToken cancellationToken) => loop.RunAsync(session, stream, cancellationToken);
    }
}
