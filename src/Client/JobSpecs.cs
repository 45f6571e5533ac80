using Cluster.Contracts.V1;

namespace Cluster.Client;

/// <summary>Builds <see cref="JobSpec"/>s from typed values, or from text typed by a kind's declaration.</summary>
public static class JobSpecs
{
    /// <summary>A spec for <paramref name="kind"/> with the given parameters (values as accepted by <see cref="ParameterValue.FromClr"/>).</summary>
    public static JobSpec Create(string kind, IEnumerable<KeyValuePair<string, object>>? parameters = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        var spec = new JobSpec { Kind = kind };
        foreach (var (name, value) in parameters ?? [])
        {
            spec.Parameters[name] = ParameterValue.FromClr(value);
        }

        return spec;
    }

    /// <summary>
    /// Types textual values (<c>name=value</c> pairs as a user typed them) by <paramref name="kind"/>'s declared parameters.
    /// </summary>
    /// <param name="kind">The kind, as listed by the coordinator.</param>
    /// <param name="values">Parameter names and their text.</param>
    /// <param name="displayName">How a parameter is named in errors (for example <c>n =&gt; "--" + n</c>).</param>
    /// <exception cref="ParameterFormatException">An unknown name, or a value that is not of its parameter's type.</exception>
    public static Dictionary<string, ParameterValue> TypeAll(
        KindInfo kind, IEnumerable<KeyValuePair<string, string>> values, Func<string, string> displayName)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(displayName);
        var declared = kind.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var typed = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        foreach (var (name, text) in values)
        {
            if (!declared.TryGetValue(name, out var info))
            {
                var known = declared.Count == 0 ? "it takes none" : "known: " + string.Join(", ", declared.Keys.Order(StringComparer.Ordinal));
                throw new ParameterFormatException(displayName(name), $"{displayName(name)} is not a parameter of kind '{kind.Name}' ({known}).");
            }

            typed[name] = ParameterValues.Parse(displayName(name), info.Type, text);
        }

        return typed;
    }

    /// <summary>Splits <c>name=value</c>; the value may itself contain '='.</summary>
    /// <exception cref="ParameterFormatException">No '=' or an empty name.</exception>
    public static KeyValuePair<string, string> SplitAssignment(string assignment, string displayName)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var at = assignment.IndexOf('=', StringComparison.Ordinal);
        return at > 0
            ? new(assignment[..at].Trim(), assignment[(at + 1)..])
            : throw new ParameterFormatException(displayName, $"{displayName} takes name=value, not '{assignment}'.");
    }
}
