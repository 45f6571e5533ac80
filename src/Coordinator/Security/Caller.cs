namespace Cluster.Coordinator.Security;

/// <summary>Who made a call: the name and role of the token it carried, or the anonymous admin of an open coordinator.</summary>
/// <param name="Name">The token's name; empty for the anonymous caller.</param>
/// <param name="Role">The token's role.</param>
internal sealed record Caller(string Name, TokenRole Role)
{
    /// <summary>Every caller of a coordinator without tokens (open loopback mode, or <c>--insecure</c>).</summary>
    public static Caller Anonymous { get; } = new(string.Empty, TokenRole.Admin);

    public bool IsAdmin => Role == TokenRole.Admin;

    /// <summary>Whether this caller may see and cancel a job submitted by <paramref name="owner"/>.</summary>
    public bool MaySee(string owner) => IsAdmin || string.Equals(owner, Name, StringComparison.Ordinal);
}
