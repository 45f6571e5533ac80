using System.Threading.Channels;
using Cluster.Contracts.V1;
using Grpc.Core;

namespace Cluster.Tests.Worker.Fakes;

/// <summary>
/// The coordinator's end of a worker session, in memory: the test sends <see cref="CoordinatorMessage"/>s and reads the
/// <see cref="WorkerMessage"/>s the worker wrote. Writes can be held back or made to fail, to stand still at a sync point.
/// </summary>
internal sealed class FakeCoordinatorStream : IAsyncStreamReader<CoordinatorMessage>, IClientStreamWriter<WorkerMessage>
{
    private readonly Channel<(CoordinatorMessage Message, TaskCompletionSource Handled)> _inbound = Channel.CreateUnbounded<(CoordinatorMessage, TaskCompletionSource)>();
    private readonly Channel<WorkerMessage> _written = Channel.CreateUnbounded<WorkerMessage>();
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _writeHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _handled;
    private TaskCompletionSource? _writeGate;
    private bool _failWrites;

    public CoordinatorMessage Current { get; private set; } = null!;

    public WriteOptions? WriteOptions { get; set; }

    /// <summary>Completes when the worker completed its request stream.</summary>
    public Task Completed => _completed.Task;

    /// <summary>Completes when a write is held by <see cref="HoldWrites"/>; its message is then not written.</summary>
    public Task WriteHeld => _writeHeld.Task;

    /// <summary>The session's call over this stream.</summary>
    public AsyncDuplexStreamingCall<WorkerMessage, CoordinatorMessage> Call() =>
        new(this, this, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });

    /// <summary>Sends a message to the worker; completes once the worker handled it and asked for the next one.</summary>
    public Task SendAsync(CoordinatorMessage message)
    {
        var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _inbound.Writer.TryWrite((message, handled));
        return handled.Task;
    }

    /// <summary>The coordinator closes the stream: the worker's read loop ends after what was sent.</summary>
    public void End() => _inbound.Writer.TryComplete();

    /// <summary>From now on a write waits until <see cref="ReleaseWrites"/> or its token fires (then nothing is written).</summary>
    public void HoldWrites() => Volatile.Write(ref _writeGate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void ReleaseWrites() => Interlocked.Exchange(ref _writeGate, null)?.TrySetResult();

    /// <summary>From now on every write fails as a broken stream does.</summary>
    public void FailWrites() => Volatile.Write(ref _failWrites, true);

    /// <summary>The next message the worker wrote.</summary>
    public async Task<WorkerMessage> NextWrittenAsync() => await _written.Reader.ReadAsync();

    /// <summary>The results the worker wrote, in order, until <paramref name="count"/> came; other messages are skipped.</summary>
    public async Task<List<ChunkResult>> ResultsAsync(int count)
    {
        var results = new List<ChunkResult>();
        while (results.Count < count)
        {
            var message = await NextWrittenAsync();
            if (message.PayloadCase == WorkerMessage.PayloadOneofCase.Results)
            {
                results.AddRange(message.Results.Results);
            }
        }

        return results;
    }

    /// <summary>Every message written so far and not yet read.</summary>
    public List<WorkerMessage> DrainWritten()
    {
        var messages = new List<WorkerMessage>();
        while (_written.Reader.TryRead(out var message))
        {
            messages.Add(message);
        }

        return messages;
    }

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        // The session asks for the next message only once it handled the current one.
        Interlocked.Exchange(ref _handled, null)?.TrySetResult();
        if (!await _inbound.Reader.WaitToReadAsync(cancellationToken) || !_inbound.Reader.TryRead(out var next))
        {
            return false;
        }

        Current = next.Message;
        _handled = next.Handled;
        return true;
    }

    public Task WriteAsync(WorkerMessage message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(WorkerMessage message, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _failWrites))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The fake stream is broken."));
        }

        if (Volatile.Read(ref _writeGate) is { } gate)
        {
            _writeHeld.TrySetResult();
            await gate.Task.WaitAsync(cancellationToken);
        }

        // A copy: the writer reuses a batch once its write completed, as a real stream has serialized it by then.
        _written.Writer.TryWrite(message.Clone());
    }

    public Task CompleteAsync()
    {
        _completed.TrySetResult();
        return Task.CompletedTask;
    }
}
