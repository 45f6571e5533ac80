using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Cluster.Coordinator.Security;

/// <summary>
/// The one check every RPC goes through, before its handler runs: the bearer token in the <c>authorization</c>
/// metadata must be in the <see cref="TokenStore"/> (else <c>Unauthenticated</c>) and its role must allow the method
/// (else <c>PermissionDenied</c>). Streams are registered under the token's name so that revoking it closes them.
/// Without a token file every caller is <see cref="Caller.Anonymous"/>.
/// </summary>
internal sealed class AuthInterceptor(TokenStore store, OpenStreams streams, AuthFailureLog failures) : Interceptor
{
    private const string Scheme = "Bearer ";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(requestStream, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var caller = Admit(context);
        await RunRevocableAsync(caller, context, c => continuation(request, responseStream, c));
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var caller = Admit(context);
        await RunRevocableAsync(caller, context, c => continuation(requestStream, responseStream, c));
    }

    /// <summary>Checks the call's token and role; throws the refusal, or returns the caller (also stored in the context).</summary>
    public Caller Admit(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!store.Enabled || RolePolicy.IsPublic(context.Method))
        {
            context.SetCaller(Caller.Anonymous);
            return Caller.Anonymous;
        }

        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw Refuse(context, StatusCode.Unauthenticated, "no token", "a token is required: send 'authorization: Bearer <secret>'");
        }

        var caller = store.Authenticate(header[Scheme.Length..].Trim());
        if (caller is null)
        {
            throw Refuse(context, StatusCode.Unauthenticated, "unknown token", "the token is not valid for this coordinator");
        }

        if (!RolePolicy.Allows(caller.Role, context.Method))
        {
            var role = caller.Role.ToString().ToLowerInvariant();
            throw Refuse(
                context,
                StatusCode.PermissionDenied,
                $"token '{caller.Name}' has role {role}",
                $"token '{caller.Name}' has role {role}, which may not call {context.Method}");
        }

        context.SetCaller(caller);
        return caller;
    }

    private async Task RunRevocableAsync(Caller caller, ServerCallContext context, Func<ServerCallContext, Task> handler)
    {
        if (caller == Caller.Anonymous)
        {
            await handler(context);
            return;
        }

        using var revoke = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        using var registration = streams.Register(caller.Name, revoke);
        try
        {
            await handler(new RevocableCallContext(context, revoke.Token));
        }
        catch (Exception ex) when (ex is not RpcException { StatusCode: StatusCode.Unauthenticated } && revoke.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"token '{caller.Name}' was revoked"));
        }

        if (revoke.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"token '{caller.Name}' was revoked"));
        }
    }

    private RpcException Refuse(ServerCallContext context, StatusCode code, string logReason, string message)
    {
        failures.Refused(context.Peer, context.Method, logReason);
        return new RpcException(new Status(code, message));
    }
}
