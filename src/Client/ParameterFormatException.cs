namespace Cluster.Client;

/// <summary>A parameter given as text could not be read as its declared type, or is not a parameter of the kind.</summary>
public sealed class ParameterFormatException : FormatException
{
    /// <summary>Creates the exception; <paramref name="message"/> names the parameter and the rule.</summary>
    public ParameterFormatException(string parameter, string message)
        : base(message) => Parameter = parameter;

    /// <summary>The parameter at fault, as it was named to the user.</summary>
    public string Parameter { get; }
}
