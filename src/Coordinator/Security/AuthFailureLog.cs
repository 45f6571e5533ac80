namespace Cluster.Coordinator.Security;

/// <summary>
/// Logs refused calls with the peer's address, at most one line per peer per <see cref="Window"/>; the lines
/// suppressed meanwhile are counted in the next one. Secrets are never logged.
/// </summary>
internal sealed partial class AuthFailureLog(TimeProvider time, ILogger<AuthFailureLog> logger)
{
    /// <summary>Shortest time between two lines about the same peer: 10 s.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private const int MaxPeers = 4096;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PeerState> _peers = new(StringComparer.Ordinal);

    /// <summary>Notes a refused call; logs it unless this peer was logged less than <see cref="Window"/> ago.</summary>
    /// <param name="peer">The peer's address as gRPC gives it (<c>ipv4:10.0.0.9:5555</c>); refusals are counted per host, whatever the port.</param>
    /// <param name="method">The method called.</param>
    /// <param name="reason">Why it was refused, without any secret.</param>
    public void Refused(string peer, string method, string reason)
    {
        var now = time.GetUtcNow();
        var host = HostOf(peer);
        int suppressed;
        lock (_lock)
        {
            if (_peers.TryGetValue(host, out var state) && now - state.LastLogged < Window)
            {
                state.Suppressed++;
                return;
            }

            if (_peers.Count >= MaxPeers)
            {
                foreach (var stale in _peers.Where(p => now - p.Value.LastLogged >= Window).Select(p => p.Key).ToList())
                {
                    _peers.Remove(stale);
                }
            }

            suppressed = state?.Suppressed ?? 0;
            _peers[host] = new PeerState { LastLogged = now };
        }

        LogRefused(logger, peer, method, reason, suppressed);
    }

    /// <summary>The peer without its port, so that new connections from one host share one budget.</summary>
    public static string HostOf(string peer)
    {
        var colon = peer.LastIndexOf(':');
        return colon > peer.IndexOf(':', StringComparison.Ordinal) ? peer[..colon] : peer;
    }

    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "Refused a call from {Peer} to {Method}: {Reason} ({Suppressed} more refusals from this host were not logged)")]
    private static partial void LogRefused(ILogger logger, string peer, string method, string reason, int suppressed);

    private sealed class PeerState
    {
        public DateTimeOffset LastLogged { get; init; }

        public int Suppressed { get; set; }
    }
}
