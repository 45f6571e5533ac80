using System.Collections.Concurrent;
using System.Threading.Channels;
using Cluster.Contracts.V1;
using Cluster.Jobs;
using Cluster.Worker.Execution;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Cluster.Worker.Connection;

/// <summary>
/// One joined session with the coordinator over the Connect stream: queues assignments on the compute pool,
/// batches results back, sends heartbeats, and on shutdown drains: hands back what has not started.
/// </summary>
internal sealed partial class CoordinatorSession : IWorkSink, IAsyncDisposable
{
    private const int MaxResultsPerMessage = 4096;
    private readonly AsyncDuplexStreamingCall<WorkerMessage, CoordinatorMessage> _call;
    private readonly ComputePool _pool;
    private readonly JobKindCatalog _kinds;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime;
    private readonly ConcurrentDictionary<string, JobContext> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, long, int), WorkItem> _pending = new();
    // Unbounded by type, bounded in fact: the coordinator keeps at most its in-flight window of attempts here,
    // and control messages are a heartbeat a second. Compute threads must never block on it.
    private readonly Channel<Outbound> _outbound = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TimeSpan _heartbeatInterval;
    private readonly CarriedResults _carried;
    private volatile bool _draining;
    private readonly Lock _endGate = new();
    private volatile bool _ended;

    public CoordinatorSession(
        AsyncDuplexStreamingCall<WorkerMessage, CoordinatorMessage> call,
        JoinAccepted accepted,
        ComputePool pool,
        JobKindCatalog kinds,
        TimeProvider time,
        ILogger logger,
        CarriedResults carried,
        CancellationToken stopping)
    {
        _carried = carried;
        _call = call;
        _pool = pool;
        _kinds = kinds;
        _time = time;
        _logger = logger;
        _heartbeatInterval = TimeSpan.FromMilliseconds(accepted.HeartbeatIntervalMs);
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    }

    public bool IsLive => !_ended;

    /// <summary>Runs until the stream ends or the session is stopped.</summary>
    public async Task RunAsync()
    {
        var token = _lifetime.Token;

        var writer = WriteLoopAsync(token);
        var heartbeat = HeartbeatLoopAsync(token);
        try
        {
            while (await _call.ResponseStream.MoveNext(token))
            {
                Handle(_call.ResponseStream.Current);
            }
        }
        finally
        {
            // Queued attempts are dropped (the coordinator requeued them); running ones finish and are carried over.
            lock (_endGate)
            {
                _ended = true;
            }

            await _lifetime.CancelAsync();
            await Task.WhenAll(Quietly(writer), Quietly(heartbeat));
            while (_outbound.Reader.TryRead(out var unsent))
            {
                Carry(unsent.Result);
            }
        }
    }

    /// <summary>Stops taking work, hands back unstarted attempts, waits (bounded) for started ones, then closes the stream.</summary>
    public async Task DrainAsync(string reason, TimeSpan timeout)
    {
        _draining = true;
        _outbound.Writer.TryWrite(new Outbound(null, new WorkerMessage { Drain = new DrainRequest { Reason = reason } }));
        foreach (var item in _pool.TakeQueued())
        {
            var released = item.NewResult();
            released.Released = true;
            item.Sink.Complete(item, released);
        }

        var deadline = _time.GetTimestamp();
        while (!_pending.IsEmpty && _time.GetElapsedTime(deadline) < timeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time, _lifetime.Token);
        }

        LogDrained(_logger, _pending.Count);
        _outbound.Writer.TryComplete();
    }

    public void Complete(WorkItem item, ChunkResult result)
    {
        if (!_pending.TryRemove((item.JobId, item.ChunkIndex, item.Attempt), out _))
        {
            return;
        }

        // Under the lock, a result either enters the channel before the session ends (and is drained into the carried
        // ones if never sent) or is carried at once; none falls between.
        lock (_endGate)
        {
            if (!_ended && _outbound.Writer.TryWrite(new Outbound(result, null)))
            {
                return;
            }
        }

        Carry(result);
    }

    public void Skip(WorkItem item) => _pending.TryRemove((item.JobId, item.ChunkIndex, item.Attempt), out _);

    public async ValueTask DisposeAsync()
    {
        _ended = true;
        await _lifetime.CancelAsync();
        _lifetime.Dispose();
    }

    /// <summary>Sends a result finished under an earlier session; false when this session cannot send any more.</summary>
    public bool TrySendCarried(ChunkResult result) => !_ended && _outbound.Writer.TryWrite(new Outbound(result, null));

    private void Carry(ChunkResult? result)
    {
        if (result is { OutcomeCase: ChunkResult.OutcomeOneofCase.Output or ChunkResult.OutcomeOneofCase.Failure })
        {
            _carried.Add(result);
        }
    }

    private void Handle(CoordinatorMessage message)
    {
        switch (message.PayloadCase)
        {
            case CoordinatorMessage.PayloadOneofCase.Assignments:
                foreach (var definition in message.Assignments.Jobs)
                {
                    if (!_jobs.ContainsKey(definition.JobId))
                    {
                        _jobs[definition.JobId] = Prepare(definition);
                    }
                }

                foreach (var assignment in message.Assignments.Chunks)
                {
                    Accept(assignment);
                }

                break;
            case CoordinatorMessage.PayloadOneofCase.Cancel:
                foreach (var chunk in message.Cancel.Chunks)
                {
                    if (_pending.TryGetValue((chunk.JobId, chunk.ChunkIndex, chunk.Attempt), out var item))
                    {
                        item.Cancel();
                    }
                }

                break;
            case CoordinatorMessage.PayloadOneofCase.JobClosed:
                if (_jobs.TryRemove(message.JobClosed.JobId, out var closed))
                {
                    closed.Cancel();
                }

                break;
            default:
                break;
        }
    }

    private JobContext Prepare(JobDefinition definition)
    {
        try
        {
            if (!_kinds.TryGet(definition.Kind, out var kind))
            {
                throw new InvalidOperationException($"This worker does not know job kind '{definition.Kind}'.");
            }

            var values = definition.Parameters.ToDictionary(p => p.Key, p => p.Value.ToClr() ?? string.Empty, StringComparer.Ordinal);
            var executor = kind.CreateExecutor(JobParameters.Bind(kind.Parameters, values));
            return new JobContext(definition.JobId, executor, null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogPrepareFailed(_logger, definition.JobId, definition.Kind, ex.Message);
            return new JobContext(definition.JobId, null, ex);
        }
    }

    private void Accept(ChunkAssignment assignment)
    {
        if (!_jobs.TryGetValue(assignment.JobId, out var job))
        {
            // A job closed while this assignment was on its way; nobody waits for it.
            return;
        }

        var item = new WorkItem(assignment, job, this);
        _pending[(item.JobId, item.ChunkIndex, item.Attempt)] = item;
        if (_draining || !_pool.TryEnqueue(item))
        {
            var released = item.NewResult();
            released.Released = true;
            Complete(item, released);
        }
    }

    private async Task WriteLoopAsync(CancellationToken token)
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
                await _call.RequestStream.WriteAsync(item.Control!, token);
            }

            await FlushAsync(batch, token);
        }

        await _call.RequestStream.CompleteAsync();
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
            await _call.RequestStream.WriteAsync(new WorkerMessage { Results = batch }, token);
        }
        catch
        {
            // The stream died under this batch: its results go with the carried ones to the next session.
            foreach (var result in batch.Results)
            {
                Carry(result);
            }

            throw;
        }
        finally
        {
            batch.Results.Clear();
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            await Task.Delay(_heartbeatInterval, _time, token);
            var heartbeat = new Heartbeat
            {
                SentUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds(),
                Running = _pool.Running,
                Queued = _pool.Queued,
            };
            _outbound.Writer.TryWrite(new Outbound(null, new WorkerMessage { Heartbeat = heartbeat }));
        }
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

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Could not prepare job {JobId} of kind {Kind}: {Error}")]
    private static partial void LogPrepareFailed(ILogger logger, string jobId, string kind, string error);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Drained: {Unfinished} started chunks did not finish in time")]
    private static partial void LogDrained(ILogger logger, int unfinished);
}

/// <summary>A result or a control message, in the order the write loop must send them.</summary>
internal readonly record struct Outbound(ChunkResult? Result, WorkerMessage? Control);
