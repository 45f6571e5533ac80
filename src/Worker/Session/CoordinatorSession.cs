using Cluster.Contracts.V1;
using Cluster.Worker.Diagnostics;
using Cluster.Worker.Execution;
using Cluster.Worker.Reporting;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Cluster.Worker.Session;

/// <summary>
/// One joined session with the coordinator over the Connect stream. It wires the parts: the read loop hands each
/// message to the <see cref="InboundHandler"/>, attempts are held in <see cref="PendingAttempts"/>, and the
/// <see cref="OutboundWriter"/> and <see cref="HeartbeatLoop"/> write back. On shutdown it drains: hands back what has
/// not started and waits (bounded) for what has.
/// </summary>
internal sealed partial class CoordinatorSession : IAsyncDisposable
{
    // How long a drain waits for the coordinator to end the call after this side closed its stream: long enough for a
    // round trip on a loaded machine, short enough that a coordinator that is gone does not hold the worker's exit.
    private static readonly TimeSpan EndOfCallWait = TimeSpan.FromSeconds(3);

    private readonly AsyncDuplexStreamingCall<WorkerMessage, CoordinatorMessage> _call;
    private readonly ComputePool _pool;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CarriedResults _carried;
    private readonly CancellationTokenSource _lifetime;
    private readonly CancellationToken _token;
    private readonly OutboundWriter _writer;
    private readonly HeartbeatLoop _heartbeats;
    private readonly PendingAttempts _pending;
    private readonly InboundHandler _inbound;
    private readonly ExecutorCache _executors;
    private readonly TaskCompletionSource _callEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CoordinatorSession(
        AsyncDuplexStreamingCall<WorkerMessage, CoordinatorMessage> call,
        JoinAccepted accepted,
        ComputePool pool,
        ExecutorCache executors,
        TimeProvider time,
        ILogger logger,
        CarriedResults carried,
        LocalSpool? spool,
        CancellationToken stopping)
    {
        _call = call;
        _pool = pool;
        _time = time;
        _logger = logger;
        _carried = carried;
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _token = _lifetime.Token;
        _writer = new OutboundWriter(call.RequestStream, carried, accepted.Epoch);
        _heartbeats = new HeartbeatLoop(_writer, pool, time, TimeSpan.FromMilliseconds(accepted.HeartbeatIntervalMs));
        _pending = new PendingAttempts(_writer, carried);
        _executors = executors;
        _inbound = new InboundHandler(_executors, _pending, pool, new StackResponder(pool, _writer, time, logger), spool);
    }

    /// <summary>Runs until the stream ends or the session is stopped; results it could not send are carried.</summary>
    public async Task RunAsync()
    {
        _carried.Attach(_pending);
        var writing = _writer.RunAsync(_token);
        var beating = _heartbeats.RunAsync(_token);
        try
        {
            while (await _call.ResponseStream.MoveNext(_token))
            {
                await _inbound.HandleAsync(_call.ResponseStream.Current, _token);
            }
        }
        finally
        {
            _callEnded.TrySetResult();

            // Queued attempts are dropped (the coordinator requeued them); running ones finish and are carried over.
            _pending.End();
            _executors.CloseAll();
            await _lifetime.CancelAsync();
            await Task.WhenAll(Quietly(writing), Quietly(beating));
            _writer.CarryUnsent();
            _carried.Detach(_pending);
        }
    }

    /// <summary>
    /// Stops taking work, hands back unstarted attempts, waits (bounded) for started ones, closes the stream, then waits
    /// (bounded) for the coordinator to end the call.
    /// </summary>
    public async Task DrainAsync(string reason, TimeSpan timeout)
    {
        _pending.BeginDrain();
        _writer.EnqueueControl(new WorkerMessage { Drain = new DrainRequest { Reason = reason } });
        foreach (var item in _pool.TakeQueued())
        {
            item.Release();
        }

        await _pending.WaitDrainedAsync(timeout, _time, _token);
        LogDrained(_logger, _pending.Count);
        _writer.Complete();

        // The coordinator ends the call once it has read the end of this stream. Returning sooner lets the host cancel
        // the call, and the reset can overtake the end on the coordinator's side: it then records a broken stream
        // instead of a drain (seen in CI). Not bound to the session's token: the session's end cancels it as it ends the
        // call, which is what this waits for.
        try
        {
            await _callEnded.Task.WaitAsync(EndOfCallWait, _time, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            LogCallNotEnded(_logger, EndOfCallWait.TotalSeconds);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pending.End();
        await _lifetime.CancelAsync();
        _lifetime.Dispose();
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is OperationCanceledException or RpcException or InvalidOperationException or IOException)
        {
            // The stream is gone; the coordinator requeues whatever this session held.
        }
    }

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Drained: {Unfinished} started chunks did not finish in time")]
    private static partial void LogDrained(ILogger logger, int unfinished);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Drained, but the coordinator did not end the call within {Seconds} s; leaving anyway")]
    private static partial void LogCallNotEnded(ILogger logger, double seconds);
}
