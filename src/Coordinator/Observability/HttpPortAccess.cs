using Cluster.Coordinator.Security;
using Microsoft.Net.Http.Headers;

namespace Cluster.Coordinator.Observability;

/// <summary>
/// The gate of the HTTP port: its paths answer only on connections to that port (404 on the gRPC port), and, when the
/// coordinator has tokens, only to a client or admin token sent as <c>Authorization: Bearer</c> (401 without one or with
/// an unknown one, 403 for a worker's). The same tokens and refusal log as the gRPC port.
/// </summary>
internal sealed class HttpPortAccess(TokenStore store, AuthFailureLog failures)
{
    private const string Scheme = "Bearer ";

    /// <summary>Whether the request may go on; when not, the response has been set.</summary>
    /// <remarks>Requests on the gRPC port go on untouched (the gRPC services check their own calls) unless they ask for an HTTP-port path.</remarks>
    public bool Admit(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<HttpPortMarker>() is null)
        {
            if (context.Request.Path.StartsWithSegments(ObservabilityServices.MetricsPath, StringComparison.Ordinal))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return false;
            }

            return true;
        }

        if (!store.Enabled)
        {
            return true;
        }

        string? header = context.Request.Headers.Authorization;
        var caller = header is not null && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? store.Authenticate(header[Scheme.Length..].Trim())
            : null;
        if (caller is null)
        {
            Refuse(context, StatusCodes.Status401Unauthorized, header is null ? "no token" : "unknown token");
            context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
            return false;
        }

        if (caller.Role is not (TokenRole.Client or TokenRole.Admin))
        {
            Refuse(context, StatusCodes.Status403Forbidden, $"token '{caller.Name}' has role {caller.Role.ToString().ToLowerInvariant()}");
            return false;
        }

        return true;
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
