using Cluster.Coordinator.Security;
using Microsoft.Net.Http.Headers;

namespace Cluster.Coordinator.Observability;

/// <summary>
/// The gate of the HTTP port: its paths (<c>/metrics</c>, the dashboard) answer only on connections to that port (404
/// on the gRPC port), and, when the coordinator has tokens, only to a client or admin token (401 without one or with an
/// unknown one, 403 for a worker's). The token comes as <c>Authorization: Bearer</c>, or, from a browser, in the
/// <see cref="CookieName"/> cookie, which a dashboard address with <c>?token=SECRET</c> sets once (see
/// <see cref="Admit"/>). The same tokens and refusal log as the gRPC port. The caller admitted is in
/// <see cref="CallerOf"/>.
/// </summary>
internal sealed class HttpPortAccess(TokenStore store, AuthFailureLog failures)
{
    /// <summary>The HttpOnly cookie a browser keeps the token in.</summary>
    public const string CookieName = "cluster_token";

    /// <summary>The query parameter a dashboard address may carry the token in, once.</summary>
    public const string TokenParameter = "token";

    private const string Scheme = "Bearer ";
    private static readonly object CallerKey = new();

    /// <summary>The caller <see cref="Admit"/> let in.</summary>
    public static Caller CallerOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(CallerKey, out var caller) && caller is Caller c ? c : throw new InvalidOperationException("The request did not pass the HTTP port's gate.");
    }

    /// <summary>Whether the request came in on the HTTP port (its connection carries <see cref="HttpPortMarker"/>).</summary>
    public static bool IsHttpPort(HttpContext context) => context.Features.Get<HttpPortMarker>() is not null;

    /// <summary>Whether the request may go on; when not, the response has been set.</summary>
    /// <remarks>
    /// Requests on the gRPC port go on untouched (the gRPC services check their own calls) unless they ask for an
    /// HTTP-port path. A GET with <c>?token=</c> (a link a user pasted, since a browser cannot add a header to a page
    /// load or an EventSource) is answered, when the token is good, with the cookie and a redirect to the same address
    /// without it, so the secret leaves the address bar and history at once; scripts never see the cookie (HttpOnly),
    /// and SameSite=Strict keeps other sites' pages from using it.
    /// </remarks>
    public bool Admit(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsHttpPort(context))
        {
            if (IsHttpPortPath(context.Request.Path))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return false;
            }

            return true;
        }

        if (!store.Enabled)
        {
            context.Items[CallerKey] = Caller.Anonymous;
            return true;
        }

        var (secret, source) = TokenOf(context.Request);
        var caller = secret is null ? null : store.Authenticate(secret);
        if (caller is null)
        {
            Refuse(context, StatusCodes.Status401Unauthorized, secret is null ? "no token" : $"unknown token ({source})");
            context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
            return false;
        }

        if (caller.Role is not (TokenRole.Client or TokenRole.Admin))
        {
            Refuse(context, StatusCodes.Status403Forbidden, $"token '{caller.Name}' has role {caller.Role.ToString().ToLowerInvariant()}");
            return false;
        }

        if (source == TokenParameter)
        {
            context.Response.Cookies.Append(CookieName, secret!, new CookieOptions
            {
                HttpOnly = true,
                SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
            });
            var query = QueryString.Create(context.Request.Query.Where(q => q.Key != TokenParameter).SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v))));
            context.Response.Redirect(context.Request.PathBase + context.Request.Path + query);
            return false;
        }

        context.Items[CallerKey] = caller;
        return true;
    }

    /// <summary>Paths that answer on the HTTP port only: <c>/metrics</c>, <c>/</c> and <c>/dashboard/...</c>.</summary>
    public static bool IsHttpPortPath(PathString path) =>
        path.StartsWithSegments(ObservabilityServices.MetricsPath, StringComparison.Ordinal)
        || path.StartsWithSegments(ObservabilityServices.DashboardPath, StringComparison.Ordinal)
        || path == "/";

    private static (string? Secret, string Source) TokenOf(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (header is not null)
        {
            return (header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : string.Empty, "header");
        }

        if (HttpMethods.IsGet(request.Method) && request.Query.TryGetValue(TokenParameter, out var query) && query.Count == 1 && !string.IsNullOrEmpty(query[0]))
        {
            return (query[0], TokenParameter);
        }

        return request.Cookies.TryGetValue(CookieName, out var cookie) && cookie.Length > 0 ? (cookie, "cookie") : (null, string.Empty);
    }

    private void Refuse(HttpContext context, int status, string reason)
    {
        var address = context.Connection.RemoteIpAddress;
        var peer = address?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"ipv6:[{address}]:{context.Connection.RemotePort}"
            : $"ipv4:{address}:{context.Connection.RemotePort}";
        failures.Refused(peer, context.Request.Path, reason);
        context.Response.StatusCode = status;
    }
}
