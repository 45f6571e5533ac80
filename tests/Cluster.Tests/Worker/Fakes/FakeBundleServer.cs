using Cluster.Contracts.V1;
using Cluster.Worker.Bundles;
using Cluster.Worker.Hosting;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cluster.Tests.Worker.Fakes;

/// <summary>
/// A coordinator's BundleService that answers FetchBundle with the given bytes, in two pieces, whatever the id asked
/// for; with a gate, the first piece comes only once the gate completes (a download that takes its time).
/// </summary>
internal sealed class FakeBundleServer(byte[] served, Task? gate = null) : CallInvoker
{
    private int _fetches;

    public int Fetches => Volatile.Read(ref _fetches);

    /// <summary>Worker bundles that fetch from this server into <paramref name="cache"/>.</summary>
    public WorkerBundles Bundles(string cache) =>
        new(new WorkerOptions { BundleCache = cache }, new BundleService.BundleServiceClient(this), TimeProvider.System, NullLogger.Instance);

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Assert.Equal("/cluster.v1.BundleService/FetchBundle", method.FullName);
        Interlocked.Increment(ref _fetches);
        var half = served.Length / 2;
        var pieces = new Queue<BundlePiece>([
            new BundlePiece { Data = ByteString.CopyFrom(served, 0, half), TotalBytes = served.Length },
            new BundlePiece { Data = ByteString.CopyFrom(served, half, served.Length - half), TotalBytes = served.Length }]);
        return new AsyncServerStreamingCall<TResponse>((IAsyncStreamReader<TResponse>)(object)new Pieces(pieces, gate ?? Task.CompletedTask), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw Unexpected(method);

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw Unexpected(method);

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw Unexpected(method);

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw Unexpected(method);

    private static InvalidOperationException Unexpected(IMethod method) => new($"Only FetchBundle is served here, yet {method.FullName} was called.");

    private sealed class Pieces(Queue<BundlePiece> pieces, Task gate) : IAsyncStreamReader<BundlePiece>
    {
        public BundlePiece Current { get; private set; } = new();

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken);
            var more = pieces.TryDequeue(out var next);
            Current = next ?? Current;
            return more;
        }
    }
}
