using Cluster.Client;
using Cluster.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Time.Testing;

namespace Cluster.Tests.Client;

/// <summary>A client over a caller's <see cref="CallInvoker"/> or <see cref="GrpcChannel"/>.</summary>
public sealed class ClusterClientConstructionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly Uri Address = new("http://10.0.0.5:7400");

    [Fact]
    public async Task ListWorkersAsync_OverCallInvoker_CallsThroughItWithCallTimeoutDeadline()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var invoker = new FakeCallInvoker().OnUnary<ListWorkersRequest, ListWorkersResponse>(
            FakeCallInvoker.JobService("ListWorkers"),
            request => new ListWorkersResponse { Workers = { new WorkerInfo { WorkerId = request.IncludeDeparted ? "w-departed" : "w-1" } } });
        using var client = new ClusterClient(invoker, Address, new ClusterClientOptions { CallTimeout = TimeSpan.FromSeconds(7), TimeProvider = time });

        var workers = await client.ListWorkersAsync(includeDeparted: true).WaitAsync(Bound);

        Assert.Equal("w-departed", Assert.Single(workers).WorkerId);
        var call = Assert.Single(invoker.Calls);
        Assert.Equal(time.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(7), call.Options.Deadline);
        Assert.Equal(Address, client.Address);
    }

    [Fact]
    public async Task ReportWorkerExitAsync_OverCallInvoker_SendsTheReport()
    {
        WorkerExitReport? sent = null;
        var invoker = new FakeCallInvoker().OnUnary<WorkerExitReport, WorkerExitAck>(
            FakeCallInvoker.WorkerService("ReportWorkerExit"),
            report =>
            {
                sent = report;
                return new WorkerExitAck { Known = true };
            });
        using var client = new ClusterClient(invoker, Address);

        await client.ReportWorkerExitAsync("local-3", 4242, 137, "killed by signal 9").WaitAsync(Bound);

        Assert.NotNull(sent);
        Assert.Equal(("local-3", 4242, 137, "killed by signal 9"), (sent.WorkerId, sent.Pid, sent.ExitCode, sent.Description));
    }

    [Fact]
    public async Task GetJobAsync_InvokerUnavailable_MessageNamesTheGivenAddress()
    {
        var invoker = new FakeCallInvoker().OnUnary<GetJobRequest, JobInfo>(
            FakeCallInvoker.JobService("GetJob"), _ => throw new RpcException(new Status(StatusCode.Unavailable, "refused")));
        using var client = new ClusterClient(invoker, Address);

        var error = await Assert.ThrowsAsync<ClusterException>(() => client.GetJobAsync("job").WaitAsync(Bound));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.StartsWith("Cannot reach the coordinator at http://10.0.0.5:7400", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_ChannelPassedIn_LeavesItOpenForItsOwner()
    {
        var handler = new NoServerHandler();
        using var channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions { HttpHandler = handler });
        new ClusterClient(channel, Address).Dispose();
        using var second = new ClusterClient(channel, Address);

        await Assert.ThrowsAsync<ClusterException>(() => second.GetJobAsync("job").WaitAsync(Bound));
        Assert.Equal(1, handler.Requests);

        // Had the client closed the channel, the call would not have gone out at all, as here:
        channel.Dispose();
        await Assert.ThrowsAnyAsync<ObjectDisposedException>(() => second.GetJobAsync("job").WaitAsync(Bound));
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public void Constructor_NullInvokerOrChannelOrAddress_Throws()
    {
        using var channel = GrpcChannel.ForAddress(Address);

        Assert.Throws<ArgumentNullException>(() => new ClusterClient((CallInvoker)null!, Address));
        Assert.Throws<ArgumentNullException>(() => new ClusterClient((GrpcChannel)null!, Address));
        Assert.Throws<ArgumentNullException>(() => new ClusterClient(new FakeCallInvoker(), null!));
        Assert.Throws<ArgumentNullException>(() => new ClusterClient(channel, null!));
    }

    /// <summary>Stands in for the network: counts requests and fails each as an unreachable server would.</summary>
    private sealed class NoServerHandler : HttpMessageHandler
    {
        private int _requests;

        public int Requests => _requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            throw new HttpRequestException("No server here.");
        }
    }
}
