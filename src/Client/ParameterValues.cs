using System.Globalization;
using Cluster.Contracts.V1;

namespace Cluster.Client;

/// <summary>Builds <see cref="ParameterValue"/>s (the values of <see cref="JobSpec.Parameters"/>) from typed values or from text.</summary>
public static class ParameterValues
{
    /// <summary>The type names used by <see cref="ParameterInfo.Type"/>.</summary>
    public const string IntType = "int";

    /// <inheritdoc cref="IntType"/>
    public const string DoubleType = "double";

    /// <inheritdoc cref="IntType"/>
    public const string StringType = "string";

    /// <inheritdoc cref="IntType"/>
    public const string BoolType = "bool";

    /// <summary>An integer value.</summary>
    public static ParameterValue Of(long value) => new() { IntValue = value };

    /// <summary>A floating-point value.</summary>
    public static ParameterValue Of(double value) => new() { DoubleValue = value };

    /// <summary>A string value.</summary>
    public static ParameterValue Of(string value) => new() { StringValue = value };

    /// <summary>A flag.</summary>
    public static ParameterValue Of(bool value) => new() { BoolValue = value };

    /// <summary>
    /// Reads <paramref name="text"/> as a value of <paramref name="type"/> (<c>int</c>, <c>double</c>, <c>string</c>, <c>bool</c>).
    /// Whole numbers may use <c>_</c> separators and exponents (<c>1_000</c>, <c>1e9</c>); flags accept true/false, yes/no, 1/0.
    /// </summary>
    /// <param name="displayName">How the parameter is named in the error, for example <c>--count</c>.</param>
    /// <param name="type">The declared type.</param>
    /// <param name="text">The text to read.</param>
    /// <exception cref="ParameterFormatException">The text is not a value of that type.</exception>
    public static ParameterValue Parse(string displayName, string type, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        return type switch
        {
            IntType => TryParseInt(trimmed, out var l) ? Of(l) : throw Invalid(displayName, "a whole number", text),
            DoubleType => TryParseDouble(trimmed, out var d) ? Of(d) : throw Invalid(displayName, "a finite number", text),
            StringType => Of(text),
            BoolType => TryParseBool(trimmed, out var b) ? Of(b) : throw Invalid(displayName, "true or false", text),
            _ => throw new ParameterFormatException(displayName, $"{displayName} has type '{type}', which this client does not know."),
        };
    }

    private static ParameterFormatException Invalid(string displayName, string expected, string text) =>
        new(displayName, $"{displayName} must be {expected}, not '{text}'.");

    private static bool TryParseInt(string text, out long value)
    {
        var plain = text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (long.TryParse(plain, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        // 1e9 is a common way to write a large count; accept it when it names a whole number in range.
        if (double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && d == Math.Floor(d) && d >= long.MinValue && d < long.MaxValue)
        {
            value = (long)d;
            return true;
        }

        return false;
    }

    private static bool TryParseDouble(string text, out double value) =>
        double.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
        && double.IsFinite(value);

    private static bool TryParseBool(string text, out bool value)
    {
        switch (text.ToLowerInvariant())
        {
            case "true" or "yes" or "1" or "on":
                value = true;
                return true;
            case "false" or "no" or "0" or "off":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
