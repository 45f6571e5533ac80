using Google.Protobuf;
using Grpc.Core;

namespace Cluster.Tests.Client;

/// <summary>
/// A <see cref="CallInvoker"/> that answers unary, server-streaming and client-streaming calls from handlers registered
/// per method name (<c>/cluster.v1.JobService/WatchJob</c>), and records each call with its options. A call to a method without
/// a handler fails as Unimplemented, as a server that lacks it would.
/// </summary>
internal sealed class FakeCallInvoker : CallInvoker
{
    private readonly Dictionary<string, Func<object, object>> _unary = [];
    private readonly Dictionary<string, Func<object, object>> _streaming = [];
    private readonly Dictionary<string, Func<IReadOnlyList<object>, object>> _clientStreaming = [];
    private readonly Dictionary<string, (int Writes, RpcException Error)> _failedWrites = [];
    private readonly List<(string Method, CallOptions Options)> _calls = [];

    /// <summary>Every call made so far: the method's full name and the options it was made with.</summary>
    public IReadOnlyList<(string Method, CallOptions Options)> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public static string JobService(string method) => $"/cluster.v1.JobService/{method}";

    public static string WorkerService(string method) => $"/cluster.v1.WorkerService/{method}";

    /// <summary>Answers a unary method; the answer may throw an <see cref="RpcException"/> to fail the call.</summary>
    public FakeCallInvoker OnUnary<TRequest, TResponse>(string method, Func<TRequest, TResponse> answer)
    {
        _unary[method] = request => answer((TRequest)request)!;
        return this;
    }

    /// <summary>Answers a server-streaming method with a stream made per call.</summary>
    public FakeCallInvoker OnServerStreaming<TRequest, TResponse>(string method, Func<TRequest, IAsyncStreamReader<TResponse>> answer)
    {
        _streaming[method] = request => answer((TRequest)request);
        return this;
    }

    /// <summary>
    /// Answers a client-streaming method once the client completes its stream, from every message it wrote; the
    /// answer may throw an <see cref="RpcException"/> to fail the call.
    /// </summary>
    public FakeCallInvoker OnClientStreaming<TRequest, TResponse>(string method, Func<IReadOnlyList<TRequest>, TResponse> answer)
    {
        _clientStreaming[method] = requests => answer([.. requests.Cast<TRequest>()])!;
        return this;
    }

    /// <summary>
    /// Ends a client-streaming method's call with <paramref name="error"/> after it took <paramref name="writes"/>
    /// messages: the next write throws it, as a real call's does once the server answered mid-stream.
    /// </summary>
    public FakeCallInvoker FailClientStreamingAfter(string method, int writes, RpcException error)
    {
        _failedWrites[method] = (writes, error);
        return this;
    }

    public int CallsTo(string method) => Calls.Count(c => c.Method == method);

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Record(method.FullName, options);
        Task<TResponse> response;
        try
        {
            response = Task.FromResult((TResponse)Handler(_unary, method.FullName)(request));
        }
        catch (RpcException e)
        {
            response = Task.FromException<TResponse>(e);
        }

        return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Record(method.FullName, options);
        var stream = (IAsyncStreamReader<TResponse>)Handler(_streaming, method.FullName)(request);
        return new AsyncServerStreamingCall<TResponse>(stream, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException("The client makes no blocking calls.");

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        Record(method.FullName, options);
        var handler = _clientStreaming.TryGetValue(method.FullName, out var found)
            ? found
            : _ => throw new RpcException(new Status(StatusCode.Unimplemented, $"No handler for {method.FullName}."));
        var writer = new CollectingWriter<TRequest, TResponse>(requests => (TResponse)handler(requests), _failedWrites.GetValueOrDefault(method.FullName));
        return new AsyncClientStreamingCall<TRequest, TResponse>(
            writer, writer.Response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException("Duplex streaming is not faked.");

    /// <summary>Keeps what the client writes; on completion, the response is the handler's answer to all of it.</summary>
    private sealed class CollectingWriter<TRequest, TResponse>(Func<IReadOnlyList<object>, TResponse> answer, (int Writes, RpcException? Error) failure) : IClientStreamWriter<TRequest>
    {
        private readonly List<object> _written = [];
        private readonly TaskCompletionSource<TResponse> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public WriteOptions? WriteOptions { get; set; }

        public Task<TResponse> Response => _response.Task;

        // As a real transport does, the message is serialized before the write completes: the caller may reuse what
        // it wrapped (the client's input buffer) once the write is done.
        public Task WriteAsync(TRequest message)
        {
            if (failure.Error is { } error && _written.Count >= failure.Writes)
            {
                _response.TrySetException(error);
                return Task.FromException(error);
            }

            _written.Add(message is IMessage wire ? Copy(wire) : message!);
            return Task.CompletedTask;
        }

        private static IMessage Copy(IMessage message)
        {
            var copy = (IMessage)Activator.CreateInstance(message.GetType())!;
            copy.MergeFrom(message.ToByteArray());
            return copy;
        }

        public Task WriteAsync(TRequest message, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return WriteAsync(message);
        }

        public Task CompleteAsync()
        {
            try
            {
                _response.SetResult(answer(_written));
            }
            catch (RpcException e)
            {
                _response.SetException(e);
            }

            return Task.CompletedTask;
        }
    }

    private static Func<object, object> Handler(Dictionary<string, Func<object, object>> handlers, string method) =>
        handlers.TryGetValue(method, out var handler)
            ? handler
            : throw new RpcException(new Status(StatusCode.Unimplemented, $"No handler for {method}."));

    private void Record(string method, CallOptions options)
    {
        lock (_calls)
        {
            _calls.Add((method, options));
        }
    }
}
