using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Cluster.Contracts.V1;
using Cluster.Processes;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cluster.Bench.Swarm;

/// <summary>
/// A simulated worker: one real worker stream to the coordinator over its own TCP connection, speaking the worker
/// protocol (join, heartbeats on a timer, batched results), that executes <c>noop</c> chunks at once and <c>sleep</c>
/// chunks by waiting their time on each of its threads. It computes nothing, so one process can hold a thousand.
/// </summary>
internal sealed class SimWorker : IAsyncDisposable
{
    private const int MaxResultsPerMessage = 4096;
    private static readonly string[] Kinds = ["noop", "sleep"];

    private readonly GrpcChannel _channel;
    private readonly string? _token;
    private readonly int _threads;
    private readonly Channel<WorkerMessage> _outbox = Channel.CreateUnbounded<WorkerMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<ChunkAssignment> _timed = Channel.CreateUnbounded<ChunkAssignment>();
    private readonly ConcurrentDictionary<string, int> _chunkMs = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;
    private readonly List<double> _timerLatenessMs = [];
    private long _completed;
    private int _running;

    public SimWorker(Uri address, string id, int threads, string? token)
    {
        Id = id;
        _threads = threads;
        _token = token;

        // A handler of its own: each simulated worker holds its own connection, as a worker process would.
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30), EnableMultipleHttp2Connections = true },
        });
    }

    public string Id { get; }

    /// <summary>Completes when the coordinator accepted the join; faults if the stream failed before.</summary>
    public Task Joined => _joined.Task;

    /// <summary>Chunks this worker answered with a result.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>How late, in milliseconds, each heartbeat left this process against its timer's schedule.</summary>
    public IReadOnlyList<double> TimerLatenessMs
    {
        get
        {
            lock (_timerLatenessMs)
            {
                return [.. _timerLatenessMs];
            }
        }
    }

    /// <summary>Why the stream ended before <see cref="DisposeAsync"/> asked it to, or null while it has not.</summary>
    public string? Failure { get; private set; }

    /// <summary>Dials the coordinator and joins; the session then runs in the background.</summary>
    public void Start() => _run = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken token)
    {
        try
        {
            var headers = _token is null ? null : new Metadata { { BearerToken.MetadataKey, BearerToken.HeaderValue(_token) } };
            using var call = new WorkerService.WorkerServiceClient(_channel).Connect(headers, cancellationToken: token);
            var join = new JoinRequest { WorkerId = Id, Host = "swarm", Pid = Environment.ProcessId, Threads = _threads };
            join.Kinds.Add(Kinds);
            await call.RequestStream.WriteAsync(new WorkerMessage { Join = join }, token);
            if (!await call.ResponseStream.MoveNext(token) || call.ResponseStream.Current.JoinAccepted is not { } accepted)
            {
                throw new InvalidOperationException($"Worker {Id}: the coordinator did not answer the join with join_accepted.");
            }

            _joined.TrySetResult();
            using var session = CancellationTokenSource.CreateLinkedTokenSource(token);
            var interval = TimeSpan.FromMilliseconds(accepted.HeartbeatIntervalMs);
            var background = new List<Task> { GuardAsync(() => WriteAsync(call.RequestStream, session.Token), session), GuardAsync(() => HeartbeatAsync(interval, session.Token), session) };
            background.AddRange(Enumerable.Range(0, _threads).Select(_ => GuardAsync(() => ExecuteTimedAsync(session.Token), session)));
            try
            {
                while (await call.ResponseStream.MoveNext(session.Token))
                {
                    Handle(call.ResponseStream.Current);
                }

                Failure ??= "the coordinator ended the stream";
            }
            finally
            {
                await session.CancelAsync();
                await Task.WhenAll(background);
            }
        }
        catch (Exception e) when (token.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // Stopped by DisposeAsync: not a failure.
        }
        catch (Exception e)
        {
            Failure ??= $"{e.GetType().Name}: {e.Message}";
            _joined.TrySetException(e);
        }
        finally
        {
            _outbox.Writer.TryComplete();
            _timed.Writer.TryComplete();
        }
    }

    // A background part of the session that fails ends the whole session, and says why.
    private async Task GuardAsync(Func<Task> run, CancellationTokenSource session)
    {
        try
        {
            await run();
        }
        catch (OperationCanceledException) when (session.IsCancellationRequested)
        {
            // The session ends: its parts stop with it.
        }
        catch (Exception e) when (e is RpcException or IOException or InvalidOperationException)
        {
            Failure ??= $"{e.GetType().Name}: {e.Message}";
            await session.CancelAsync();
        }
    }

    private void Handle(CoordinatorMessage message)
    {
        if (message.Assignments is not { } batch)
        {
            // Cancels and closed jobs need nothing here: a cancelled sleep chunk's late result is stale, and discarded.
            return;
        }

        foreach (var job in batch.Jobs)
        {
            _chunkMs[job.JobId] = job.Kind == "sleep" ? (int)job.Parameters["ms"].IntValue : 0;
        }

        ChunkResultBatch? done = null;
        foreach (var chunk in batch.Chunks)
        {
            if (_chunkMs.TryGetValue(chunk.JobId, out var ms) && ms > 0)
            {
                _timed.Writer.TryWrite(chunk);
            }
            else
            {
                (done ??= new ChunkResultBatch()).Results.Add(Result(chunk, 0));
            }
        }

        if (done is not null)
        {
            Interlocked.Add(ref _completed, done.Results.Count);
            _outbox.Writer.TryWrite(new WorkerMessage { Results = done });
        }
    }

    // One of the worker's threads: runs the timed chunks one after another, each for its job's time.
    private async Task ExecuteTimedAsync(CancellationToken token)
    {
        await foreach (var chunk in _timed.Reader.ReadAllAsync(token))
        {
            var ms = _chunkMs[chunk.JobId];
            Interlocked.Increment(ref _running);
            await Task.Delay(ms, token);
            Interlocked.Decrement(ref _running);
            Interlocked.Increment(ref _completed);
            var batch = new ChunkResultBatch();
            batch.Results.Add(Result(chunk, ms * 1000L));
            _outbox.Writer.TryWrite(new WorkerMessage { Results = batch });
        }
    }

    private async Task HeartbeatAsync(TimeSpan interval, CancellationToken token)
    {
        using var timer = new PeriodicTimer(interval);
        var start = Stopwatch.GetTimestamp();
        var tick = 0L;
        while (await timer.WaitForNextTickAsync(token))
        {
            // How late this process sends the heartbeat against its schedule: the share of the lag that is the simulator's.
            var late = Stopwatch.GetElapsedTime(start) - (++tick * interval);
            lock (_timerLatenessMs)
            {
                _timerLatenessMs.Add(Math.Max(0, late.TotalMilliseconds));
            }

            var heartbeat = new Heartbeat { SentUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Running = Volatile.Read(ref _running), Queued = _timed.Reader.Count };
            _outbox.Writer.TryWrite(new WorkerMessage { Heartbeat = heartbeat });
        }
    }

    // The stream's only writer: what finished while a write was under way goes out together, as a real worker batches.
    private async Task WriteAsync(IClientStreamWriter<WorkerMessage> stream, CancellationToken token)
    {
        var reader = _outbox.Reader;
        while (await reader.WaitToReadAsync(token))
        {
            ChunkResultBatch? results = null;
            while (reader.TryRead(out var message))
            {
                if (message.Results is not { } batch)
                {
                    await stream.WriteAsync(message, token);
                    continue;
                }

                if (results is not null && results.Results.Count + batch.Results.Count > MaxResultsPerMessage)
                {
                    await stream.WriteAsync(new WorkerMessage { Results = results }, token);
                    results = null;
                }

                if (results is null)
                {
                    results = batch;
                }
                else
                {
                    results.Results.Add(batch.Results);
                }
            }

            if (results is not null)
            {
                await stream.WriteAsync(new WorkerMessage { Results = results }, token);
            }
        }
    }

    private static ChunkResult Result(ChunkAssignment chunk, long elapsedMicros) => new()
    {
        JobId = chunk.JobId,
        ChunkIndex = chunk.ChunkIndex,
        Attempt = chunk.Attempt,
        Output = Google.Protobuf.ByteString.Empty,
        ElapsedUs = elapsedMicros,
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
        _channel.Dispose();
    }
}
