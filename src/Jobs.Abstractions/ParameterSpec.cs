using System.Globalization;

namespace Cluster.Jobs;

/// <summary>The type of a job parameter.</summary>
public enum ParameterType
{
    /// <summary>A 64-bit integer (<see cref="long"/>).</summary>
    Int,

    /// <summary>A double-precision number.</summary>
    Double,

    /// <summary>A string.</summary>
    String,

    /// <summary>A flag.</summary>
    Bool,
}

/// <summary>Declares one parameter of a job kind: its name, type, default and whether it is required.</summary>
/// <param name="Name">Name as submitted and as the CLI option (<c>--name</c>); lower case with dashes.</param>
/// <param name="Type">Value type.</param>
/// <param name="Description">One line for help texts.</param>
/// <param name="DefaultValue">Value used when the parameter is omitted (a <see cref="long"/>, <see cref="double"/>, <see cref="string"/> or <see cref="bool"/>), or <see langword="null"/>.</param>
/// <param name="Required">Whether a job without it is rejected.</param>
public sealed record ParameterSpec(string Name, ParameterType Type, string Description, object? DefaultValue = null, bool Required = false)
{
    /// <summary>An integer parameter.</summary>
    public static ParameterSpec Int(string name, string description, long? defaultValue = null, bool required = false) =>
        new(name, ParameterType.Int, description, defaultValue, required);

    /// <summary>A floating-point parameter.</summary>
    public static ParameterSpec Double(string name, string description, double? defaultValue = null, bool required = false) =>
        new(name, ParameterType.Double, description, defaultValue, required);

    /// <summary>A string parameter.</summary>
    public static ParameterSpec String(string name, string description, string? defaultValue = null, bool required = false) =>
        new(name, ParameterType.String, description, defaultValue, required);

    /// <summary>A flag.</summary>
    public static ParameterSpec Bool(string name, string description, bool defaultValue = false) =>
        new(name, ParameterType.Bool, description, defaultValue);

    /// <summary>The default rendered for help texts, or an empty string.</summary>
    public string DefaultText => DefaultValue switch
    {
        null => string.Empty,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString() ?? string.Empty,
    };
}
