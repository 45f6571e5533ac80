namespace Cluster.Hosting.Inputs;

/// <summary>An input over HTTP(S) is not what the job was planned for (another length or entity tag) or cannot be read by ranges; retrying cannot help.</summary>
public sealed class HttpInputChangedException : IOException
{
    /// <summary>Creates the exception with its sentence.</summary>
    public HttpInputChangedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public HttpInputChangedException()
    {
    }

    /// <summary>Creates the exception with its sentence and cause.</summary>
    public HttpInputChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
