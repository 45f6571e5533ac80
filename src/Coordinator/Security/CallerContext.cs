using Grpc.Core;

namespace Cluster.Coordinator.Security;

/// <summary>The caller the <see cref="AuthInterceptor"/> admitted, as the endpoints read it.</summary>
internal static class CallerContext
{
    private const string Key = "cluster.caller";

    public static void SetCaller(this ServerCallContext context, Caller caller) => context.UserState[Key] = caller;

    /// <summary>The admitted caller, or <see langword="null"/> for a call that did not pass the interceptor.</summary>
    public static Caller? TryGetCaller(this ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var value) ? value as Caller : null;

    /// <summary>The admitted caller; a call that did not pass the interceptor is refused, never let through.</summary>
    public static Caller GetCaller(this ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var value) && value is Caller caller
            ? caller
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "the call was not authenticated"));
}
