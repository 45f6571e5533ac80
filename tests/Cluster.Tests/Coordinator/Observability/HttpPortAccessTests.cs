using Cluster.Coordinator.Observability;
using Cluster.Coordinator.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace Cluster.Tests.Coordinator.Observability;

public sealed class HttpPortAccessTests : IDisposable
{
    private const string WorkerSecret = "worker-secret-0123456789";
    private const string ClientSecret = "client-secret-0123456789";

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"cluster-tokens-{Guid.NewGuid():N}.txt");
    private readonly HttpPortAccess _access;

    public HttpPortAccessTests()
    {
        File.WriteAllText(_path, $"w1:worker:{WorkerSecret}\nalice:client:{ClientSecret}\n");
        var store = new TokenStore(OptionsFactory.Create(new AuthOptions { TokensFile = _path }), new OpenStreams(), NullLogger<TokenStore>.Instance);
        _access = new HttpPortAccess(store, new AuthFailureLog(new FakeTimeProvider(), NullLogger<AuthFailureLog>.Instance));
    }

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Admit_TokenInQuery_HttpOnlyStrictCookieAndRedirectWithoutToken()
    {
        var context = OnHttpPort("/", "?job=abc&token=" + ClientSecret);

        Assert.False(_access.Admit(context));

        Assert.Equal(StatusCodes.Status302Found, context.Response.StatusCode);
        Assert.Equal("/?job=abc", context.Response.Headers.Location.ToString());
        var cookie = context.Response.Headers.SetCookie.ToString();
        Assert.StartsWith($"{HttpPortAccess.CookieName}={ClientSecret};", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Admit_ClientTokenInCookie_AdmittedAsThatClient()
    {
        var context = OnHttpPort("/dashboard/api/stream", string.Empty);
        context.Request.Headers.Cookie = $"{HttpPortAccess.CookieName}={ClientSecret}";

        Assert.True(_access.Admit(context));

        Assert.Equal(new Caller("alice", TokenRole.Client), HttpPortAccess.CallerOf(context));
    }

    [Theory]
    [InlineData(WorkerSecret, StatusCodes.Status403Forbidden)]
    [InlineData("not-a-known-secret-at-all", StatusCodes.Status401Unauthorized)]
    public void Admit_WorkerOrUnknownTokenInQueryOrCookie_RefusedWithoutCookie(string secret, int status)
    {
        var byQuery = OnHttpPort("/", "?token=" + secret);
        var byCookie = OnHttpPort("/dashboard/api/state", string.Empty);
        byCookie.Request.Headers.Cookie = $"{HttpPortAccess.CookieName}={secret}";

        Assert.False(_access.Admit(byQuery));
        Assert.False(_access.Admit(byCookie));

        Assert.Equal(status, byQuery.Response.StatusCode);
        Assert.Equal(status, byCookie.Response.StatusCode);
        Assert.Equal(0, byQuery.Response.Headers.SetCookie.Count);
    }

    [Fact]
    public void Admit_TokenInQueryOfPost_NotTaken()
    {
        var context = OnHttpPort("/dashboard/api/jobs/x/cancel", "?token=" + ClientSecret);
        context.Request.Method = HttpMethods.Post;

        Assert.False(_access.Admit(context));

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/dashboard/app.js")]
    [InlineData("/metrics")]
    public void Admit_HttpPortPathOnGrpcPort_NotFound(string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;

        Assert.False(_access.Admit(context));

        Assert.Equal(StatusCodes.Status404NotFound, context.Response.StatusCode);
    }

    private static DefaultHttpContext OnHttpPort(string path, string query)
    {
        var context = new DefaultHttpContext();
        context.Features.Set(HttpPortMarker.Instance);
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        return context;
    }
}
