using Cluster.Client;
using Cluster.Contracts.V1;

namespace Cluster.Tests.Client;

public sealed class ClusterClientTokenTests
{
    [Fact]
    public async Task EveryCall_TokenSet_CarriesBearerMetadata()
    {
        var invoker = new FakeCallInvoker()
            .OnUnary<ListWorkersRequest, ListWorkersResponse>(FakeCallInvoker.JobService("ListWorkers"), _ => new ListWorkersResponse())
            .OnUnary<WorkerExitReport, WorkerExitAck>(FakeCallInvoker.WorkerService("ReportWorkerExit"), _ => new WorkerExitAck());
        using var client = new ClusterClient(invoker, new Uri("http://127.0.0.1:1"), new ClusterClientOptions { Token = "the-secret-0123456789" });

        await client.ListWorkersAsync();
        await client.ReportWorkerExitAsync("w", 1, 0, "exited", CancellationToken.None);

        Assert.Equal(2, invoker.Calls.Count);
        Assert.All(invoker.Calls, c => Assert.Equal("Bearer the-secret-0123456789", c.Options.Headers?.GetValue("authorization")));
    }

    [Fact]
    public async Task EveryCall_NoToken_SendsNoAuthorization()
    {
        var invoker = new FakeCallInvoker()
            .OnUnary<ListWorkersRequest, ListWorkersResponse>(FakeCallInvoker.JobService("ListWorkers"), _ => new ListWorkersResponse());
        using var client = new ClusterClient(invoker, new Uri("http://127.0.0.1:1"));

        await client.ListWorkersAsync();

        Assert.Null(Assert.Single(invoker.Calls).Options.Headers?.GetValue("authorization"));
    }
}
