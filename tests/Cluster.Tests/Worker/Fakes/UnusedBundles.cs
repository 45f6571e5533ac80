using Cluster.Contracts.V1;
using Cluster.Worker.Bundles;
using Cluster.Worker.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cluster.Tests.Worker.Fakes;

/// <summary>A worker's bundles for tests whose jobs name no bundle: any call to the coordinator fails the test.</summary>
internal static class UnusedBundles
{
    public static WorkerBundles Create() => new(
        new WorkerOptions { BundleCache = Path.Combine(Path.GetTempPath(), "cluster-bundles", "unit-tests") },
        new BundleService.BundleServiceClient(new NoCalls()),
        TimeProvider.System,
        NullLogger.Instance);

    private sealed class NoCalls : CallInvoker
    {
        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw Unexpected(method);

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw Unexpected(method);

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw Unexpected(method);

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw Unexpected(method);

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw Unexpected(method);

        private static InvalidOperationException Unexpected(IMethod method) => new($"No job in this test names a bundle, yet {method.FullName} was called.");
    }
}
