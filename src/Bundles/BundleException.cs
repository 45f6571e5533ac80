namespace Cluster.Bundles;

/// <summary>
/// A bundle cannot be used: damaged, not an assembly, built for a newer runtime, a dependency missing, its kinds
/// unusable. The message follows the word "bundle" ("bundle 1a2b3c4d5e6f &lt;message&gt;").
/// </summary>
public sealed class BundleException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BundleException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public BundleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public BundleException()
    {
    }
}
