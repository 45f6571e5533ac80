using Cluster.IntegrationTests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using Xunit.Abstractions;

namespace Cluster.IntegrationTests.Transport;

/// <summary>The standard health and reflection services answer raw stubs, as a load balancer or grpcurl would call them.</summary>
[Collection(ProcessCollection.Name)]
public sealed class DiscoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task HealthCheck_RealCoordinator_Serving()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 0);
        using var channel = GrpcChannel.ForAddress(cluster.Cluster.Address);
        var health = new Health.HealthClient(channel);

        var response = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Reflection_ListServices_JobAndWorkerServices()
    {
        await using var cluster = await TestCluster.StartAsync(output, workers: 0);
        using var channel = GrpcChannel.ForAddress(cluster.Cluster.Address);
        var reflection = new ServerReflection.ServerReflectionClient(channel);

        // Reflection is behind the client role: the local cluster's client token.
        using var call = reflection.ServerReflectionInfo(
            headers: [new Metadata.Entry("authorization", "Bearer " + cluster.Cluster.ClientToken)], deadline: DateTime.UtcNow.AddSeconds(30));
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Contains("cluster.v1.JobService", services);
        Assert.Contains("cluster.v1.WorkerService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }
}
