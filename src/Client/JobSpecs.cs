using System.Reflection;
using Cluster.Contracts.V1;
using Cluster.Jobs.Typed;

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
    /// A spec for a typed kind: its name, and each property of <paramref name="parameters"/> under the parameter name
    /// the kind declares for it (<c>BlockSize</c> is <c>block-size</c>); the coordinator checks ranges and rules.
    /// </summary>
    /// <exception cref="ArgumentException">The record's public constructor does not match the kind's parameters.</exception>
    public static JobSpec For<TParameters, TChunkResult, TResult>(TypedJobKind<TParameters, TChunkResult, TResult> kind, TParameters parameters)
        where TParameters : notnull
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(parameters);
        // The kind declares one parameter per argument of the record's public constructor, in the same order.
        var type = typeof(TParameters);
        var arguments = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance) is [var constructor] ? constructor.GetParameters() : [];
        var declared = kind.Parameters;
        if (arguments.Length != declared.Count)
        {
            throw new ArgumentException($"{type.Name} does not match the parameters of kind '{kind.Name}' ({declared.Count}).", nameof(parameters));
        }

        var spec = new JobSpec { Kind = kind.Name };
        for (var i = 0; i < arguments.Length; i++)
        {
            var property = type.GetProperty(arguments[i].Name!, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)
                ?? throw new ArgumentException($"{type.Name} has no property for its constructor argument '{arguments[i].Name}'.", nameof(parameters));
            if (property.GetValue(parameters) is { } value)
            {
                spec.Parameters[declared[i].Name] = ParameterValue.FromClr(value);
            }
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
