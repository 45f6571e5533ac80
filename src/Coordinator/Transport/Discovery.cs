namespace Cluster.Coordinator.Transport;

/// <summary>
/// The standard services that let tools and load balancers use the coordinator without Cluster's protos: gRPC health
/// (<c>grpc.health.v1</c>) and server reflection.
/// </summary>
/// <remarks>
/// The health service reveals nothing but "serving", so it stays reachable without credentials: the token check on
/// every RPC (<c>Security/</c>) exempts <see cref="HealthCheckMethod"/> and <see cref="HealthWatchMethod"/>, so that
/// Kubernetes probes and load balancers need no secret. Reflection lists the services and their messages, so it sits
/// behind the client role like the job API: <see cref="ReflectionMethods"/>.
/// </remarks>
internal static class Discovery
{
    /// <summary>Full gRPC method name of the health check, reachable without a token.</summary>
    public const string HealthCheckMethod = "/grpc.health.v1.Health/Check";

    /// <summary>Full gRPC method name of the health watch, reachable without a token.</summary>
    public const string HealthWatchMethod = "/grpc.health.v1.Health/Watch";

    /// <summary>Full gRPC method names of server reflection (the v1alpha protocol grpcurl speaks, and v1).</summary>
    public static readonly IReadOnlyList<string> ReflectionMethods =
    [
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
    ];

    /// <summary>Whether <paramref name="method"/> (a full gRPC method name) is the health service, which needs no credentials.</summary>
    public static bool IsHealth(string method) =>
        string.Equals(method, HealthCheckMethod, StringComparison.Ordinal) || string.Equals(method, HealthWatchMethod, StringComparison.Ordinal);
}
