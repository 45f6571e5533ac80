using System.Threading.Channels;
using Cluster.Contracts.V1;
using Grpc.Core;

namespace Cluster.Worker.Reporting;

/// <summary>
/// The one writer of a session's request stream: results batched up to <see cref="MaxResultsPerMessage"/> a message,
/// and control messages (heartbeats, the drain request) sent in the order they were queued among the results.
/// </summary>
/// <remarks>
/// The writer does not know whether its session still stands: callers gate <see cref="TryEnqueue"/> on that, and once
/// the loop has stopped, <see cref="CarryUnsent"/> hands whatever it never sent to the carried results.
/// </remarks>
/// <param name="stream">The session's request stream.</param>
/// <param name="carried">Where results go that this session could not send.</param>
/// <param name="epoch">The coordinator epoch of the session (<c>JoinAccepted.epoch</c>), stamped on the results it carries.</param>
internal sealed class OutboundWriter(IClientStreamWriter<WorkerMessage> stream, CarriedResults carried, long epoch = 0)
{
    /// <summary>The coordinator epoch of the session this writer belongs to.</summary>
    public long Epoch => epoch;

    /// <summary>The most results in one message, as the protocol allows.</summary>
    public const int MaxResultsPerMessage = 4096;

    // Unbounded by type, bounded in fact: the coordinator keeps at most its in-flight window of attempts here,
    // and control messages are a heartbeat a second. Compute threads must never block on it.
    private readonly Channel<Outbound> _outbound = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues a result; false once <see cref="Complete"/> was called.</summary>
    public bool TryEnqueue(ChunkResult result) => _outbound.Writer.TryWrite(new Outbound(result, null));

    /// <summary>Queues a control message behind the results queued so far; dropped once <see cref="Complete"/> was called.</summary>
    public void EnqueueControl(WorkerMessage message) => _outbound.Writer.TryWrite(new Outbound(null, message));

    /// <summary>Nothing more will be queued: the loop sends what it holds, then completes the request stream.</summary>
    public void Complete() => _outbound.Writer.TryComplete();

    /// <summary>Writes until <see cref="Complete"/> (then completes the stream), the token fires, or a write fails.</summary>
    public async Task RunAsync(CancellationToken token)
    {
        var reader = _outbound.Reader;
        while (await reader.WaitToReadAsync(token))
        {
            var batch = new ChunkResultBatch();
            while (batch.Results.Count < MaxResultsPerMessage && reader.TryRead(out var item))
            {
                if (item.Result is not null)
                {
                    batch.Results.Add(item.Result);
                    continue;
                }

                await FlushAsync(batch, token);
                await stream.WriteAsync(item.Control!, token);
            }

            await FlushAsync(batch, token);
        }

        await stream.CompleteAsync();
    }

    /// <summary>Once <see cref="RunAsync"/> has stopped: the results it never sent go to the carried ones.</summary>
    public void CarryUnsent()
    {
        while (_outbound.Reader.TryRead(out var unsent))
        {
            if (unsent.Result is { } result)
            {
                carried.Add(result, epoch);
            }
        }
    }

    private async Task FlushAsync(ChunkResultBatch batch, CancellationToken token)
    {
        if (batch.Results.Count == 0)
        {
            return;
        }

        try
        {
            // The message is serialized by the time the write completes, so the batch can be reused.
            await stream.WriteAsync(new WorkerMessage { Results = batch }, token);
        }
        catch
        {
            // The stream died under this batch: its results go with the carried ones to the next session.
            foreach (var result in batch.Results)
            {
                carried.Add(result, epoch);
            }

            throw;
        }
        finally
        {
            batch.Results.Clear();
        }
    }
}
