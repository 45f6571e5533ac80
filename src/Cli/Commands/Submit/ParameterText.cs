using Cluster.Contracts.V1;

namespace Cluster.Cli.Commands.Submit;

/// <summary>How a declared parameter's bounds and default read in help texts and the kinds table.</summary>
internal static class ParameterText
{
    /// <summary>The bounds as one rule, for example <c>1..100</c>, <c>&gt;= 1</c>, <c>&lt;= 10</c>, or an empty string.</summary>
    public static string Range(ParameterInfo parameter) => (parameter.Minimum.Length > 0, parameter.Maximum.Length > 0) switch
    {
        (true, true) => parameter.Minimum + ".." + parameter.Maximum,
        (true, false) => ">= " + parameter.Minimum,
        (false, true) => "<= " + parameter.Maximum,
        _ => string.Empty,
    };

    /// <summary>The description followed by the range and the default in parentheses, when there are any.</summary>
    public static string Help(ParameterInfo parameter)
    {
        var notes = new List<string>(2);
        if (Range(parameter) is { Length: > 0 } range)
        {
            notes.Add("range: " + range);
        }

        if (parameter.DefaultValue.Length > 0)
        {
            notes.Add("default: " + parameter.DefaultValue);
        }

        return notes.Count == 0 ? parameter.Description : $"{parameter.Description} ({string.Join("; ", notes)})";
    }
}
