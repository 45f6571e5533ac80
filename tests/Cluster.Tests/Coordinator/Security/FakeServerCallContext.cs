using Grpc.Core;

namespace Cluster.Tests.Coordinator.Security;

/// <summary>A server call context with the method, peer and headers a test gives it.</summary>
internal sealed class FakeServerCallContext(string method, string? authorization = null, string peer = "ipv4:10.0.0.9:5555") : ServerCallContext
{
    private readonly Metadata _headers = authorization is null ? [] : [new Metadata.Entry("authorization", authorization)];
    private readonly Dictionary<object, object> _userState = [];

    public CancellationTokenSource Cancellation { get; } = new();

    protected override string MethodCore => method;

    protected override string HostCore => "127.0.0.1";

    protected override string PeerCore => peer;

    protected override DateTime DeadlineCore => DateTime.MaxValue;

    protected override Metadata RequestHeadersCore => _headers;

    protected override CancellationToken CancellationTokenCore => Cancellation.Token;

    protected override Metadata ResponseTrailersCore { get; } = [];

    protected override Status StatusCore { get; set; }

    protected override WriteOptions? WriteOptionsCore { get; set; }

    protected override AuthContext AuthContextCore => new(null, []);

    protected override IDictionary<object, object> UserStateCore => _userState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
