namespace Cluster.Coordinator.Security;

/// <summary>A token file that cannot be used: the message names the file, the line and the rule, never a secret.</summary>
internal sealed class TokenFileException : Exception
{
    public TokenFileException()
    {
    }

    public TokenFileException(string message)
        : base(message)
    {
    }

    public TokenFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
