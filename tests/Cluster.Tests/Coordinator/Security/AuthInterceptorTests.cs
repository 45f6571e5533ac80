using Cluster.Coordinator.Security;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace Cluster.Tests.Coordinator.Security;

public sealed class AuthInterceptorTests : IDisposable
{
    private const string Connect = "/cluster.v1.WorkerService/Connect";
    private const string ReportExit = "/cluster.v1.WorkerService/ReportWorkerExit";
    private const string Submit = "/cluster.v1.JobService/SubmitJob";
    private const string ListWorkers = "/cluster.v1.JobService/ListWorkers";
    private const string WorkerSecret = "worker-secret-0123456789";
    private const string ClientSecret = "client-secret-0123456789";
    private const string AdminSecret = "admin-secret-0123456789";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"cluster-tokens-{Guid.NewGuid():N}.txt");
    private readonly FakeTimeProvider _time = new();
    private readonly ListLogger<AuthFailureLog> _failureLogger = new();
    private readonly OpenStreams _streams = new();
    private readonly TokenStore _store;
    private readonly AuthInterceptor _interceptor;

    public AuthInterceptorTests()
    {
        File.WriteAllText(_path, $"w1:worker:{WorkerSecret}\nalice:client:{ClientSecret}\nroot:admin:{AdminSecret}\n");
        _store = new TokenStore(OptionsFactory.Create(new AuthOptions { TokensFile = _path }), _streams, NullLogger<TokenStore>.Instance);
        _interceptor = new AuthInterceptor(_store, _streams, new AuthFailureLog(_time, _failureLogger));
    }

    public void Dispose() => File.Delete(_path);

    [Theory]
    [InlineData(null)]
    [InlineData("Basic " + ClientSecret)]
    [InlineData("Bearer not-a-known-secret-at-all")]
    [InlineData("Bearer ")]
    public async Task UnaryServerHandler_MissingOrWrongToken_UnauthenticatedAndNothingRuns(string? authorization)
    {
        var ran = false;

        var ex = await Assert.ThrowsAsync<RpcException>(() => _interceptor.UnaryServerHandler<string, string>(
            "request", new FakeServerCallContext(ListWorkers, authorization), (_, _) => { ran = true; return Task.FromResult("ok"); }));

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.False(ran);
        Assert.DoesNotContain(ClientSecret, ex.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ClientSecret, Connect)]
    [InlineData(ClientSecret, ReportExit)]
    [InlineData(WorkerSecret, Submit)]
    [InlineData(WorkerSecret, ListWorkers)]
    [InlineData(ClientSecret, "/grpc.other.Service/Method")]
    public async Task UnaryServerHandler_RightTokenWrongRole_PermissionDeniedAndNothingRuns(string secret, string method)
    {
        var ran = false;

        var ex = await Assert.ThrowsAsync<RpcException>(() => _interceptor.UnaryServerHandler<string, string>(
            "request", new FakeServerCallContext(method, "Bearer " + secret), (_, _) => { ran = true; return Task.FromResult("ok"); }));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.False(ran);
    }

    [Theory]
    [InlineData(WorkerSecret, Connect, "w1")]
    [InlineData(WorkerSecret, ReportExit, "w1")]
    [InlineData(ClientSecret, Submit, "alice")]
    [InlineData(ClientSecret, ListWorkers, "alice")]
    [InlineData(AdminSecret, Connect, "root")]
    [InlineData(AdminSecret, Submit, "root")]
    public async Task UnaryServerHandler_RoleAllowsMethod_RunsWithTheCaller(string secret, string method, string name)
    {
        var context = new FakeServerCallContext(method, "bearer " + secret);

        var answer = await _interceptor.UnaryServerHandler<string, string>("request", context, (_, c) => Task.FromResult(c.GetCaller().Name));

        Assert.Equal(name, answer);
    }

    [Fact]
    public async Task UnaryServerHandler_NoTokenFile_EveryCallerIsAnonymousAdmin()
    {
        var open = new TokenStore(OptionsFactory.Create(new AuthOptions()), _streams, NullLogger<TokenStore>.Instance);
        var interceptor = new AuthInterceptor(open, _streams, new AuthFailureLog(_time, _failureLogger));

        var caller = await interceptor.UnaryServerHandler<string, Caller>("r", new FakeServerCallContext(Connect), (_, c) => Task.FromResult(c.GetCaller()));

        Assert.Same(Caller.Anonymous, caller);
    }

    [Fact]
    public async Task UnaryServerHandler_HealthService_NeedsNoToken()
    {
        var answer = await _interceptor.UnaryServerHandler<string, string>(
            "r", new FakeServerCallContext("/grpc.health.v1.Health/Check"), (_, _) => Task.FromResult("serving"));

        Assert.Equal("serving", answer);
    }

    [Fact]
    public void GetCaller_CallThatSkippedTheInterceptor_IsUnauthenticated()
    {
        var ex = Assert.Throws<RpcException>(() => new FakeServerCallContext(Submit).GetCaller());

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Theory]
    [InlineData("ipv4:10.0.0.9:5555", "ipv4:10.0.0.9")]
    [InlineData("ipv6:[::1]:5555", "ipv6:[::1]")]
    [InlineData("unix:", "unix:")]
    public void HostOf_Peer_DropsThePort(string peer, string host) => Assert.Equal(host, AuthFailureLog.HostOf(peer));

    [Fact]
    public async Task Refusals_SameHostWithinTenSeconds_OneLogLineThenTheCountOfSuppressedOnes()
    {
        for (var port = 1; port <= 3; port++)
        {
            await Assert.ThrowsAsync<RpcException>(() => _interceptor.UnaryServerHandler<string, string>(
                "r", new FakeServerCallContext(Submit, "Bearer wrong-wrong-wrong-wrong", $"ipv4:10.0.0.9:{port}"), (_, _) => Task.FromResult("ok")));
        }

        await Assert.ThrowsAsync<RpcException>(() => _interceptor.UnaryServerHandler<string, string>(
            "r", new FakeServerCallContext(Submit, null, "ipv4:10.0.0.8:1"), (_, _) => Task.FromResult("ok")));
        Assert.Equal(2, _failureLogger.Lines.Count);
        Assert.Contains("ipv4:10.0.0.9:1", _failureLogger.Lines[0], StringComparison.Ordinal);
        Assert.Contains("ipv4:10.0.0.8:1", _failureLogger.Lines[1], StringComparison.Ordinal);

        _time.Advance(AuthFailureLog.Window);
        await Assert.ThrowsAsync<RpcException>(() => _interceptor.UnaryServerHandler<string, string>(
            "r", new FakeServerCallContext(Connect, "Bearer " + ClientSecret, "ipv4:10.0.0.9:1"), (_, _) => Task.FromResult("ok")));

        Assert.Equal(3, _failureLogger.Lines.Count);
        Assert.Contains("(2 more refusals from this host", _failureLogger.Lines[2], StringComparison.Ordinal);
        Assert.Contains(Connect, _failureLogger.Lines[2], StringComparison.Ordinal);
        Assert.All(_failureLogger.Lines, l => Assert.DoesNotContain(ClientSecret, l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DuplexStreamingServerHandler_TokenRevoked_StreamEndsUnauthenticated()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = _interceptor.DuplexStreamingServerHandler<string, string>(
            null!,
            null!,
            new FakeServerCallContext(Connect, "Bearer " + WorkerSecret),
            async (_, _, c) =>
            {
                started.SetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, c.CancellationToken);
            });
        await started.Task.WaitAsync(Deadline);
        Assert.Equal(1, _streams.Count("w1"));

        File.WriteAllText(_path, $"alice:client:{ClientSecret}\n");
        _store.Reload();

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.WaitAsync(Deadline));
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Contains("'w1' was revoked", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _streams.Count("w1"));
    }

    [Fact]
    public async Task ServerStreamingServerHandler_StreamEnds_IsNoLongerRegistered()
    {
        await _interceptor.ServerStreamingServerHandler<string, string>(
            "r", null!, new FakeServerCallContext("/cluster.v1.JobService/WatchJob", "Bearer " + ClientSecret), (_, _, _) => Task.CompletedTask);

        Assert.Equal(0, _streams.Count("alice"));
    }
}
