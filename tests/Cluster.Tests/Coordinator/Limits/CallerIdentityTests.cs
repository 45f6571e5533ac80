using Cluster.Coordinator.Limits;
using Cluster.Coordinator.Security;
using Cluster.Tests.Coordinator.Security;
using Grpc.Core;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace Cluster.Tests.Coordinator.Limits;

public sealed class CallerIdentityTests
{
    private const string Method = "/cluster.v1.JobService/WatchJob";
    private readonly CallerIdentity _identity = new();

    [Fact]
    public void KeyOf_TwoTokensBehindOneAddress_TwoClientsWithSeparateQuotas()
    {
        var limits = Limits(1);
        var alice = Call("ipv4:10.0.0.9:5555", new Caller("alice", TokenRole.Client));
        var bob = Call("ipv4:10.0.0.9:5555", new Caller("bob", TokenRole.Client));

        using var aliceWatch = limits.Enter(ClientLimit.Watches, _identity.KeyOf(alice));
        using var bobWatch = limits.Enter(ClientLimit.Watches, _identity.KeyOf(bob));

        Assert.Equal("name:alice", _identity.KeyOf(alice));
        Assert.Equal("name:bob", _identity.KeyOf(bob));
        Assert.Equal(1, limits.Held(ClientLimit.Watches, "name:bob"));
    }

    [Fact]
    public void KeyOf_OneTokenOnTwoConnectionsFromTwoAddresses_OneClientSharingOneQuota()
    {
        var limits = Limits(1);
        var first = Call("ipv4:10.0.0.9:5555", new Caller("alice", TokenRole.Client));
        var second = Call("ipv6:[fd00::7]:6000", new Caller("alice", TokenRole.Client));
        using var held = limits.Enter(ClientLimit.SubmitStreams, _identity.KeyOf(first));

        var ex = Assert.Throws<RpcException>(() => limits.Enter(ClientLimit.SubmitStreams, _identity.KeyOf(second)));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public void KeyOf_OpenCoordinator_PeerHostWithoutPortSoConnectionsOfOneHostShareOneQuota()
    {
        var limits = Limits(1);
        var first = Call("ipv4:10.0.0.9:5555", Caller.Anonymous);
        var second = Call("ipv4:10.0.0.9:6666", Caller.Anonymous);
        var other = Call("ipv4:10.0.0.10:5555", Caller.Anonymous);
        using var held = limits.Enter(ClientLimit.QueuedJobs, _identity.KeyOf(first));

        Assert.Equal("peer:ipv4:10.0.0.9", _identity.KeyOf(second));
        Assert.Throws<RpcException>(() => limits.Enter(ClientLimit.QueuedJobs, _identity.KeyOf(second)));
        using var otherHost = limits.Enter(ClientLimit.QueuedJobs, _identity.KeyOf(other));
    }

    [Fact]
    public void KeyOf_CallThatSkippedTheInterceptor_PeerHost()
    {
        Assert.Equal("peer:ipv6:[::1]", _identity.KeyOf(new FakeServerCallContext(Method, peer: "ipv6:[::1]:40000")));
    }

    private static FakeServerCallContext Call(string peer, Caller caller)
    {
        var context = new FakeServerCallContext(Method, peer: peer);
        context.SetCaller(caller);
        return context;
    }

    private static ClientLimits Limits(int max) => new(OptionsFactory.Create(new LimitsOptions
    {
        MaxQueuedJobsPerClient = max,
        MaxWatchesPerClient = max,
        MaxSubmitStreamsPerClient = max,
    }));
}
