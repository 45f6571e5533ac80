using System.Buffers;
using System.Collections.Concurrent;
using Cluster.Contracts.V1;
using Cluster.Worker.Hosting;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Worker.Execution;

/// <summary>
/// A fixed set of dedicated compute threads, optionally pinned to CPUs, fed from one bounded queue. Chunks never run
/// on the .NET shared thread pool, which stays free for gRPC I/O and heartbeats while every core computes.
/// </summary>
/// <remarks>
/// A <see cref="BlockingCollection{T}"/> rather than a Channel: these threads exist to block while idle, and a
/// channel's async wait would resume them on the shared pool instead of on their own thread.
/// </remarks>
internal sealed partial class ComputePool : IComputeLoad, IDisposable
{
    private const int QueueCapacity = 1 << 16;
    private readonly BlockingCollection<WorkItem> _queue = new(new ConcurrentQueue<WorkItem>(), QueueCapacity);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread[] _threads;

    // What each compute thread runs now (null while idle) and since when, for stack requests; written by that thread
    // only. Plain slots, so that a chunk costs no allocation for a request that rarely comes.
    private readonly WorkItem?[] _current;
    private readonly long[] _startedAt;
    private readonly ILogger<ComputePool> _logger;
    private readonly TimeProvider _time;
    private readonly ChunkTracing _tracing;
    private int _running;

    public ComputePool(IOptions<WorkerOptions> options, TimeProvider time, ChunkTracing tracing, ILogger<ComputePool> logger)
    {
        _logger = logger;
        _time = time;
        _tracing = tracing;
        var cpus = options.Value.ParsedCpus();
        _threads = new Thread[options.Value.Threads];
        _current = new WorkItem?[_threads.Length];
        _startedAt = new long[_threads.Length];
        for (var i = 0; i < _threads.Length; i++)
        {
            int? cpu = cpus.Count > 0 ? cpus[i % cpus.Count] : null;
            var slot = i;
            _threads[i] = new Thread(() => Run(slot, cpu)) { IsBackground = true, Name = $"compute-{i}" };
            _threads[i].Start();
        }
    }

    public int Threads => _threads.Length;

    public int Running => Volatile.Read(ref _running);

    public int Queued => _queue.Count;

    /// <summary>The attempts running on compute threads now, with their thread and start.</summary>
    public IReadOnlyList<RunningItem> RunningItems()
    {
        var running = new List<RunningItem>(_current.Length);
        for (var i = 0; i < _current.Length; i++)
        {
            // The start is written before the item, so an item read twice around it is the one the start belongs to.
            var item = Volatile.Read(ref _current[i]);
            var startedAt = Volatile.Read(ref _startedAt[i]);
            if (item is not null && ReferenceEquals(item, Volatile.Read(ref _current[i])))
            {
                running.Add(new RunningItem(item, _threads[i].ManagedThreadId, _threads[i].Name!, startedAt));
            }
        }

        return running;
    }

    /// <summary>Queues an attempt; false when the queue is full (the coordinator sent more than it should).</summary>
    public bool TryEnqueue(WorkItem item) => _queue.TryAdd(item);

    /// <summary>Removes and returns every attempt not yet started.</summary>
    public List<WorkItem> TakeQueued()
    {
        var taken = new List<WorkItem>();
        while (_queue.TryTake(out var item))
        {
            taken.Add(item);
        }

        return taken;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _queue.CompleteAdding();
        _stopping.Dispose();
    }

    private void Run(int slot, int? cpu)
    {
        if (cpu is { } c && !CpuAffinity.TryPinCurrentThread(c))
        {
            LogPinFailed(_logger, c);
        }

        var output = new ArrayBufferWriter<byte>(4096);

        // One token source per thread, renewed only after it fired: a chunk's own cancellation costs no allocation.
        var chunkToken = new CancellationTokenSource();
        try
        {
            foreach (var item in _queue.GetConsumingEnumerable(_stopping.Token))
            {
                Interlocked.Increment(ref _running);
                try
                {
                    Execute(slot, item, output, chunkToken);
                }
                finally
                {
                    Interlocked.Decrement(ref _running);
                    if (chunkToken.IsCancellationRequested)
                    {
                        chunkToken.Dispose();
                        chunkToken = new CancellationTokenSource();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The pool is shutting down.
        }
        catch (ObjectDisposedException)
        {
            // The pool is shutting down.
        }
    }

    private void Execute(int slot, WorkItem item, ArrayBufferWriter<byte> output, CancellationTokenSource chunkToken)
    {
        var job = item.Job;
        if (job.Token.IsCancellationRequested || !item.Sink.IsLive || !item.TryStart(chunkToken))
        {
            item.Sink.Skip(item);
            return;
        }

        var result = item.NewResult();
        var started = _time.GetTimestamp();
        Volatile.Write(ref _startedAt[slot], started);
        Volatile.Write(ref _current[slot], item);
        var span = _tracing.Start(item, _threads[slot].Name!);
        try
        {
            using var link = job.Token.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), chunkToken);
            var executor = job.Executor;
            if (executor is null)
            {
                // Either preparing failed, or the job closed since this item was checked (its token fired; skipped below).
                chunkToken.Token.ThrowIfCancellationRequested();
                throw new InvalidOperationException($"The worker could not prepare job {job.JobId}: {job.SetupError?.Message}", job.SetupError);
            }

            output.ResetWrittenCount();
            if (item.LocalSlice is { } slice)
            {
                LocalSpool.Execute(item.Spool, executor, item, slice, output, chunkToken.Token);
            }
            else
            {
                executor.Execute(item.ChunkIndex, item.Payload.Span, output, chunkToken.Token);
            }
            result.Output = output.WrittenCount == 0 ? ByteString.Empty : ByteString.CopyFrom(output.WrittenSpan);
        }
        catch (OperationCanceledException) when (chunkToken.IsCancellationRequested)
        {
            span?.SetTag("cluster.chunk.outcome", "cancelled").Dispose();
            item.Sink.Skip(item);
            return;
        }
        catch (Exception ex)
        {
            result.Failure = new ChunkFailure
            {
                ExceptionType = ex.GetType().FullName ?? ex.GetType().Name,
                Message = ex.Message,
                StackTrace = ex.StackTrace ?? string.Empty,
            };
        }
        finally
        {
            Volatile.Write(ref _current[slot], null);
            item.Stop();
        }

        result.ElapsedUs = (long)_time.GetElapsedTime(started).TotalMicroseconds;
        ChunkTracing.End(span, result);
        item.Sink.Complete(item, result);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Could not pin a compute thread to CPU {Cpu}; it runs unpinned")]
    private static partial void LogPinFailed(ILogger logger, int cpu);
}

/// <summary>An attempt running on a compute thread: the thread's managed id and name, and when the attempt started (a <see cref="TimeProvider"/> timestamp).</summary>
internal sealed record RunningItem(WorkItem Item, int ManagedThreadId, string Thread, long StartedAt);
