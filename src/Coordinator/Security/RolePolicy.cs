using Cluster.Contracts.V1;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Cluster.Coordinator.Security;

/// <summary>Which role may call which method; one table for every RPC.</summary>
internal static class RolePolicy
{
    private const string HealthService = "grpc.health.v1.Health";

    // Read once, after ContractDescriptors built every file, so that no two calls build two descriptors at the same time.
    private static readonly string WorkerServiceName = ServiceName(() => WorkerService.Descriptor);
    private static readonly string JobServiceName = ServiceName(() => JobService.Descriptor);
    private static readonly string BundleServiceName = ServiceName(() => BundleService.Descriptor);
    private static readonly string BundleFetch = $"{BundleServiceName}/{BundleService.Descriptor.FindMethodByName("FetchBundle").Name}";

    /// <summary>Whether <paramref name="method"/> (<c>/package.Service/Method</c>) needs no token at all: the standard health service, which reveals nothing.</summary>
    public static bool IsPublic(string method) => ServiceOf(method) == HealthService;

    /// <summary>Whether a token of <paramref name="role"/> may call <paramref name="method"/>.</summary>
    public static bool Allows(TokenRole role, string method)
    {
        var service = ServiceOf(method);
        return role switch
        {
            TokenRole.Admin => true,
            TokenRole.Worker => service == WorkerServiceName || IsBundleFetch(method),
            TokenRole.Client => service == JobServiceName
                || (service == BundleServiceName && !IsBundleFetch(method))
                || service.StartsWith("grpc.reflection.", StringComparison.Ordinal),
            _ => false,
        };
    }

    /// <summary>Fetching a bundle is a worker's call; uploading one (running code on every worker) is a client's only.</summary>
    private static bool IsBundleFetch(string method) =>
        method.AsSpan().TrimStart('/').SequenceEqual(BundleFetch);

    private static string ServiceName(Func<ServiceDescriptor> service)
    {
        _ = ContractDescriptors.All;
        return service().FullName;
    }

    private static string ServiceOf(string method)
    {
        var trimmed = method.AsSpan().TrimStart('/');
        var slash = trimmed.IndexOf('/');
        return (slash < 0 ? trimmed : trimmed[..slash]).ToString();
    }
}
