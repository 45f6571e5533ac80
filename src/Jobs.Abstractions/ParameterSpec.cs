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

    /// <summary>
    /// The smallest value accepted (a <see cref="long"/> for <see cref="ParameterType.Int"/>, a <see cref="double"/> for
    /// <see cref="ParameterType.Double"/>), or <see langword="null"/> for no lower bound. Checked by <see cref="JobParameters.Bind"/>.
    /// </summary>
    public object? Minimum { get; init; }

    /// <summary>The largest value accepted, typed as <see cref="Minimum"/>, or <see langword="null"/> for no upper bound.</summary>
    public object? Maximum { get; init; }

    /// <summary>The default rendered for help texts, or an empty string.</summary>
    public string DefaultText => Render(DefaultValue);

    /// <summary>The lower bound rendered for help texts, or an empty string.</summary>
    public string MinimumText => Render(Minimum);

    /// <summary>The upper bound rendered for help texts, or an empty string.</summary>
    public string MaximumText => Render(Maximum);

    /// <summary>The bounds as one rule for help texts, for example <c>1..100</c>, <c>&gt;= 1</c>, or an empty string.</summary>
    public string RangeText => (Minimum, Maximum) switch
    {
        (null, null) => string.Empty,
        (not null, null) => ">= " + MinimumText,
        (null, not null) => "<= " + MaximumText,
        _ => MinimumText + ".." + MaximumText,
    };

    private static string Render(object? value) => value switch
    {
        null => string.Empty,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString() ?? string.Empty,
    };
}
