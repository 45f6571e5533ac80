using Cluster.IntegrationTests.Infrastructure;

namespace Cluster.IntegrationTests.MultiHost;

/// <summary>
/// Three "hosts" on one Linux machine: a bridge <c>clmh-br</c> with 10.231.0.1/24 in the root namespace (the
/// coordinator's host) and network namespaces <c>clmh-w1</c>, <c>clmh-w2</c>, each joined to the bridge by a veth pair
/// (<c>clmh-wN-b</c> on the bridge, <c>clmh-wN-n</c> inside with 10.231.0.1N/24). Every name starts with
/// <see cref="Prefix"/>; whatever an earlier, crashed run left with that prefix is removed first, and everything is
/// removed again on dispose.
/// </summary>
internal sealed class NetnsHosts : IDisposable
{
    public const string Prefix = "clmh-";
    public const string BridgeAddress = "10.231.0.1";
    private const string Bridge = Prefix + "br";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private bool _disposed;

    private NetnsHosts()
    {
    }

    /// <summary>Full path of the <c>ip</c> binary, or <see langword="null"/> when it is not on PATH.</summary>
    public static string? Ip { get; } = ToolProcess.Find("ip");

    /// <summary>Why this machine cannot build the hosts (one line), or <see langword="null"/> when it can.</summary>
    public static string? Unavailable { get; } = FindUnavailable();

    /// <summary>Network namespace of worker host <paramref name="n"/> (1 or 2).</summary>
    public static string Namespace(int n) => $"{Prefix}w{n}";

    /// <summary>Address of worker host <paramref name="n"/>.</summary>
    public static string Address(int n) => $"10.231.0.1{n}";

    /// <summary>The bridge-side end of worker host <paramref name="n"/>'s veth pair: its port on the bridge.</summary>
    public static string BridgePort(int n) => $"{Prefix}w{n}-b";

    public static NetnsHosts Create()
    {
        RemoveStale();
        var hosts = new NetnsHosts();
        try
        {
            Run("link", "add", Bridge, "type", "bridge");
            Run("addr", "add", BridgeAddress + "/24", "dev", Bridge);
            Run("link", "set", Bridge, "up");
            for (var n = 1; n <= 2; n++)
            {
                var ns = Namespace(n);
                var inside = $"{Prefix}w{n}-n";
                Run("netns", "add", ns);
                Run("link", "add", BridgePort(n), "type", "veth", "peer", "name", inside);
                Run("link", "set", inside, "netns", ns);
                Run("link", "set", BridgePort(n), "master", Bridge);
                Run("link", "set", BridgePort(n), "up");
                Run("-n", ns, "addr", "add", Address(n) + "/24", "dev", inside);
                Run("-n", ns, "link", "set", inside, "up");
                Run("-n", ns, "link", "set", "lo", "up");
            }

            return hosts;
        }
        catch
        {
            hosts.Dispose();
            throw;
        }
    }

    /// <summary>Cuts worker host <paramref name="n"/> off: its bridge port goes down, packets vanish, nobody sends a reset.</summary>
    public void Cut(int n)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Run("link", "set", BridgePort(n), "down");
    }

    /// <summary>Brings worker host <paramref name="n"/>'s bridge port back up.</summary>
    public void Restore(int n)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Run("link", "set", BridgePort(n), "up");
    }

    public void Dispose()
    {
        _disposed = true;
        RemoveStale();
    }

    /// <summary>Deletes every namespace and link whose name starts with <see cref="Prefix"/>.</summary>
    private static void RemoveStale()
    {
        foreach (var line in Output("netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ', 2)[0];
            if (name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                TryRun("netns", "del", name);
            }
        }

        // Deleting a namespace deletes the veth ends inside it, and with them their peers; the bridge stays.
        foreach (var line in Output("-o", "link", "show").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length < 2)
            {
                continue;
            }

            var name = parts[1].Trim().Split('@')[0];
            if (name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                TryRun("link", "del", name);
            }
        }
    }

    private static string? FindUnavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "The multi-host test needs Linux network namespaces.";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "The multi-host test needs root (it creates network namespaces, a bridge and veth pairs).";
        }

        if (Ip is null)
        {
            return "ip is not on PATH: the multi-host test builds its hosts with it (.ci/run installs it with apt-get install -y iproute2).";
        }

        var probe = Prefix + "probe";
        var (code, text) = Exec("netns", "add", probe);
        if (code != 0)
        {
            return $"ip netns add failed (no CAP_SYS_ADMIN?): {text.Trim().Split('\n')[0]}";
        }

        TryRun("netns", "del", probe);
        return null;
    }

    private static void Run(params string[] args)
    {
        var (code, text) = Exec(args);
        if (code != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({code}): {text.Trim()}");
        }
    }

    private static void TryRun(params string[] args) => Exec(args);

    private static string Output(params string[] args) => Exec(args).Text;

    private static (int Code, string Text) Exec(params string[] args) => ToolProcess.Run(Ip ?? "ip", args, CommandTimeout);
}
