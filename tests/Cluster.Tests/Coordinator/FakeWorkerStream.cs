using System.Threading.Channels;
using Cluster.Contracts.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Cluster.Tests.Coordinator;

/// <summary>A worker's Connect stream in memory: what the test sends as the worker, and what the coordinator wrote.</summary>
internal sealed class FakeWorkerStream
{
    public FakeRequestStream Requests { get; } = new();

    public FakeResponseStream Responses { get; } = new();
}

/// <summary>The worker's side: messages the test sends, each with a task that completes once the session handled it.</summary>
internal sealed class FakeRequestStream : IAsyncStreamReader<WorkerMessage>
{
    private readonly Channel<(WorkerMessage Message, TaskCompletionSource Handled)> _messages = Channel.CreateUnbounded<(WorkerMessage, TaskCompletionSource)>();
    private TaskCompletionSource? _handling;

    public WorkerMessage Current { get; private set; } = new();

    /// <summary>Sends a message; the task completes when the session asks for the next one, so it is done with this one.</summary>
    public Task SendAsync(WorkerMessage message)
    {
        var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _messages.Writer.TryWrite((message, handled));
        return handled.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public Task SendResultsAsync(params ChunkResult[] results) =>
        SendAsync(new WorkerMessage { Results = new ChunkResultBatch { Results = { results } } });

    /// <summary>The worker closes its side of the stream.</summary>
    public void Complete() => _messages.Writer.TryComplete();

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        _handling?.TrySetResult();
        _handling = null;
        if (!await _messages.Reader.WaitToReadAsync(cancellationToken) || !_messages.Reader.TryRead(out var next))
        {
            return false;
        }

        (Current, _handling) = next;
        return true;
    }
}

/// <summary>The coordinator's side: every message it wrote, copied as the wire would (pooled payload buffers go back once a write completes).</summary>
internal sealed class FakeResponseStream : IServerStreamWriter<CoordinatorMessage>
{
    private readonly Channel<CoordinatorMessage> _written = Channel.CreateUnbounded<CoordinatorMessage>();

    /// <summary>Writes of messages this matches fail, as a broken stream's would.</summary>
    public Func<CoordinatorMessage, bool>? FailWhen { get; set; }

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(CoordinatorMessage message) => WriteAsync(message, CancellationToken.None);

    public Task WriteAsync(CoordinatorMessage message, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        if (FailWhen?.Invoke(message) == true)
        {
            return Task.FromException(new IOException("the test broke the stream"));
        }

        _written.Writer.TryWrite(CoordinatorMessage.Parser.ParseFrom(message.ToByteArray()));
        return Task.CompletedTask;
    }

    /// <summary>The next message written, waiting for it up to 10 s.</summary>
    public async Task<CoordinatorMessage> NextAsync() => await _written.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>A message written and not yet read, if any.</summary>
    public bool TryNext(out CoordinatorMessage message) => _written.Reader.TryRead(out message!);
}
