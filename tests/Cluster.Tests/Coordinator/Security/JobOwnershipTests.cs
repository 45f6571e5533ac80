using Cluster.Contracts.V1;
using Cluster.Coordinator.Api;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Limits;
using Cluster.Coordinator.Security;
using Grpc.Core;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace Cluster.Tests.Coordinator.Security;

public sealed class JobOwnershipTests
{
    private static readonly Caller Alice = new("alice", TokenRole.Client);
    private static readonly Caller Bob = new("bob", TokenRole.Client);
    private static readonly Caller Root = new("root", TokenRole.Admin);
    private readonly CoordinatorTestHost _host = new();
    private readonly JobsEndpoint _endpoint;

    public JobOwnershipTests()
    {
        _endpoint = new JobsEndpoint(
            _host.Submitter,
            _host.Store,
            new JobWatch(OptionsFactory.Create(_host.Options), _host.Time),
            _host.Finisher,
            _host.Ledger,
            _host.Registry,
            _host.Health,
            _host.Kinds,
            new Cluster.Coordinator.Bundles.BundleKinds(_host.Bundles, Microsoft.Extensions.Logging.Abstractions.NullLogger<Cluster.Coordinator.Bundles.BundleKinds>.Instance),
            new ClientLimits(OptionsFactory.Create(new LimitsOptions())),
            new CallerIdentity(),
            OptionsFactory.Create(new LimitsOptions()),
            OptionsFactory.Create(_host.Options),
            _host.Time,
            _host.Stacks);
    }

    [Fact]
    public async Task GetJob_AnotherClientsJob_NotFoundAsIfItDidNotExist()
    {
        var bobs = await SubmitAsync(Bob);

        var ex = await Assert.ThrowsAsync<RpcException>(() => _endpoint.GetJob(new GetJobRequest { JobId = bobs.Id }, As(Alice)));
        var missing = await Assert.ThrowsAsync<RpcException>(() => _endpoint.GetJob(new GetJobRequest { JobId = "0123456789abcdef0123456789abcdef" }, As(Alice)));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal(missing.Status.Detail.Replace("0123456789abcdef0123456789abcdef", bobs.Id, StringComparison.Ordinal), ex.Status.Detail);
    }

    [Fact]
    public async Task GetJob_OwnJobAndAdmin_SeeTheJobWithItsOwner()
    {
        var bobs = await SubmitAsync(Bob);

        Assert.Equal("bob", (await _endpoint.GetJob(new GetJobRequest { JobId = bobs.Id }, As(Bob))).Owner);
        Assert.Equal("bob", (await _endpoint.GetJob(new GetJobRequest { JobId = bobs.Id }, As(Root))).Owner);
    }

    [Fact]
    public async Task ListJobs_Client_SeesOnlyItsOwnJobsAndAdminSeesAll()
    {
        var alices = await SubmitAsync(Alice);
        var bobs = await SubmitAsync(Bob);

        var forAlice = await _endpoint.ListJobs(new ListJobsRequest(), As(Alice));
        var forRoot = await _endpoint.ListJobs(new ListJobsRequest(), As(Root));

        Assert.Equal([alices.Id], forAlice.Jobs.Select(j => j.JobId));
        Assert.Equal(new[] { alices.Id, bobs.Id }.Order(StringComparer.Ordinal), forRoot.Jobs.Select(j => j.JobId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CancelJob_AnotherClientsJob_NotFoundAndTheJobRuns()
    {
        var bobs = await SubmitAsync(Bob);

        var ex = await Assert.ThrowsAsync<RpcException>(() => _endpoint.CancelJob(new CancelJobRequest { JobId = bobs.Id }, As(Alice)));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.False(bobs.IsFinal);
        Assert.Equal(global::Cluster.Contracts.V1.JobState.Cancelled, (await _endpoint.CancelJob(new CancelJobRequest { JobId = bobs.Id }, As(Root))).State);
    }

    [Fact]
    public async Task WatchJob_AnotherClientsJob_NotFound()
    {
        var bobs = await SubmitAsync(Bob);

        var ex = await Assert.ThrowsAsync<RpcException>(() => _endpoint.WatchJob(new WatchJobRequest { JobId = bobs.Id }, null!, As(Alice)));
        var result = await Assert.ThrowsAsync<RpcException>(() => _endpoint.GetJobResult(new GetJobResultRequest { JobId = bobs.Id }, null!, As(Alice)));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal(StatusCode.NotFound, result.StatusCode);
    }

    private static FakeServerCallContext As(Caller caller)
    {
        var context = new FakeServerCallContext("/cluster.v1.JobService/GetJob");
        context.SetCaller(caller);
        return context;
    }

    private Task<Job> SubmitAsync(Caller owner) =>
        _host.Submitter.SubmitAsync(CoordinatorTestHost.Squares(4) with { Owner = owner.Name }, AsyncEnumerable.Empty<ReadOnlyMemory<byte>>(), CancellationToken.None);
}
