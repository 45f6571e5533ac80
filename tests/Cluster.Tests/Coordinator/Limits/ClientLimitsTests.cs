using Cluster.Coordinator.Limits;
using Grpc.Core;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace Cluster.Tests.Coordinator.Limits;

public sealed class ClientLimitsTests
{
    [Theory]
    [InlineData(ClientLimit.QueuedJobs, "jobs queued per client: at most 2 (Coordinator:Limits:MaxQueuedJobsPerClient)")]
    [InlineData(ClientLimit.Watches, "concurrent watches per client: at most 2 (Coordinator:Limits:MaxWatchesPerClient)")]
    [InlineData(ClientLimit.SubmitStreams, "concurrent SubmitJob and UploadBundle streams per client: at most 2 (Coordinator:Limits:MaxSubmitStreamsPerClient)")]
    public void Enter_BeyondLimit_ResourceExhaustedNamingLimitKeyAndValue(ClientLimit limit, string message)
    {
        var limits = Limits(2);
        using var first = limits.Enter(limit, "peer:a");
        using var second = limits.Enter(limit, "peer:a");

        var ex = Assert.Throws<RpcException>(() => limits.Enter(limit, "peer:a"));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(message, ex.Status.Detail);
    }

    [Fact]
    public void Enter_AfterLeaseDisposed_Succeeds()
    {
        var limits = Limits(1);
        var lease = limits.Enter(ClientLimit.Watches, "peer:a");
        lease.Dispose();
        lease.Dispose();

        using var again = limits.Enter(ClientLimit.Watches, "peer:a");

        Assert.Equal(1, limits.Held(ClientLimit.Watches, "peer:a"));
    }

    [Fact]
    public void Enter_OtherClientOrOtherLimit_CountedApart()
    {
        var limits = Limits(1);
        using var a = limits.Enter(ClientLimit.Watches, "peer:a");

        using var b = limits.Enter(ClientLimit.Watches, "peer:b");
        using var c = limits.Enter(ClientLimit.SubmitStreams, "peer:a");

        Assert.Equal(1, limits.Held(ClientLimit.Watches, "peer:b"));
        Assert.Equal(1, limits.Held(ClientLimit.SubmitStreams, "peer:a"));
    }

    [Fact]
    public void Held_AllReleased_Zero()
    {
        var limits = Limits(3);
        var leases = Enumerable.Range(0, 3).Select(_ => limits.Enter(ClientLimit.QueuedJobs, "peer:a")).ToList();

        leases.ForEach(l => l.Dispose());

        Assert.Equal(0, limits.Held(ClientLimit.QueuedJobs, "peer:a"));
    }

    private static ClientLimits Limits(int max) => new(OptionsFactory.Create(new LimitsOptions
    {
        MaxQueuedJobsPerClient = max,
        MaxWatchesPerClient = max,
        MaxSubmitStreamsPerClient = max,
    }));
}
