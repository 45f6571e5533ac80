using Grpc.Core;

namespace Cluster.Coordinator.Security;

/// <summary>A streaming call's context whose cancellation token also fires when the token that opened the stream is revoked.</summary>
internal sealed class RevocableCallContext : ServerCallContext
{
    // Grpc.AspNetCore finds the HttpContext of a context it did not create under this user-state key (it activates
    // the service from the request's services).
    private const string HttpContextKey = "__HttpContext";
    private readonly ServerCallContext _inner;
    private readonly CancellationToken _cancellationToken;

    public RevocableCallContext(ServerCallContext inner, CancellationToken cancellationToken)
    {
        _inner = inner;
        _cancellationToken = cancellationToken;
        if (!inner.UserState.ContainsKey(HttpContextKey))
        {
            try
            {
                inner.UserState[HttpContextKey] = inner.GetHttpContext();
            }
            catch (InvalidOperationException)
            {
                // Not hosted by ASP.NET Core (a test's context): nothing to carry over.
            }
        }
    }

    protected override string MethodCore => _inner.Method;

    protected override string HostCore => _inner.Host;

    protected override string PeerCore => _inner.Peer;

    protected override DateTime DeadlineCore => _inner.Deadline;

    protected override Metadata RequestHeadersCore => _inner.RequestHeaders;

    protected override CancellationToken CancellationTokenCore => _cancellationToken;

    protected override Metadata ResponseTrailersCore => _inner.ResponseTrailers;

    protected override Status StatusCore
    {
        get => _inner.Status;
        set => _inner.Status = value;
    }

    protected override WriteOptions? WriteOptionsCore
    {
        get => _inner.WriteOptions;
        set => _inner.WriteOptions = value;
    }

    protected override AuthContext AuthContextCore => _inner.AuthContext;

    protected override IDictionary<object, object> UserStateCore => _inner.UserState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => _inner.CreatePropagationToken(options);

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => _inner.WriteResponseHeadersAsync(responseHeaders);
}
