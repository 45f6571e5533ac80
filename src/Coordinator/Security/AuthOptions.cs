namespace Cluster.Coordinator.Security;

/// <summary>Authentication settings, bound from the <c>Coordinator</c> section (<c>Coordinator:TokensFile</c>, <c>Coordinator:Insecure</c>).</summary>
public sealed class AuthOptions
{
    /// <summary>
    /// Token file (<c>--tokens FILE</c>): one <c>NAME:ROLE:SECRET</c> per line, roles <c>worker</c>, <c>client</c>
    /// and <c>admin</c>. Default none: every caller is an anonymous admin, which is allowed on a loopback address
    /// only (or with <see cref="Insecure"/>).
    /// </summary>
    public string TokensFile { get; set; } = string.Empty;

    /// <summary>
    /// Listen on a non-loopback address without a token file (<c>--insecure</c>); a warning is logged at start and
    /// every 5 minutes. Default off.
    /// </summary>
    public bool Insecure { get; set; }
}
