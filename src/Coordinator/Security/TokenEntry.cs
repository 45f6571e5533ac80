namespace Cluster.Coordinator.Security;

/// <summary>One line of a token file, with its secret kept only as a SHA-256 hash.</summary>
/// <param name="Name">Who holds the token; names jobs' owners and log lines.</param>
/// <param name="Role">What the token may do.</param>
/// <param name="SecretHash">SHA-256 of the secret's UTF-8 bytes.</param>
internal sealed record TokenEntry(string Name, TokenRole Role, byte[] SecretHash);
