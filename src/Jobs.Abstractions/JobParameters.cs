using System.Globalization;

namespace Cluster.Jobs;

/// <summary>A job's parameters after binding against the kind's declarations: defaults filled in, types checked.</summary>
public sealed class JobParameters
{
    private readonly Dictionary<string, object> _values;

    private JobParameters(Dictionary<string, object> values) => _values = values;

    /// <summary>Every bound value by name (<see cref="long"/>, <see cref="double"/>, <see cref="string"/> or <see cref="bool"/>).</summary>
    public IReadOnlyDictionary<string, object> Values => _values;

    /// <summary>
    /// Binds raw values to <paramref name="specs"/>: rejects unknown names, wrong types, missing required ones and values
    /// outside <see cref="ParameterSpec.Minimum"/>..<see cref="ParameterSpec.Maximum"/>, and fills in defaults. An
    /// integer is accepted where a double is declared.
    /// </summary>
    /// <exception cref="JobParameterException">A value breaks its declaration.</exception>
    public static JobParameters Bind(IReadOnlyList<ParameterSpec> specs, IReadOnlyDictionary<string, object> raw)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(raw);
        var byName = specs.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var name in raw.Keys)
        {
            if (!byName.ContainsKey(name))
            {
                var known = specs.Count == 0 ? "none" : string.Join(", ", specs.Select(s => s.Name));
                throw new JobParameterException(name, $"is not a parameter of this kind (known: {known})");
            }
        }

        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            if (raw.TryGetValue(spec.Name, out var value))
            {
                values[spec.Name] = CheckRange(spec, Coerce(spec, value));
            }
            else if (spec.Required)
            {
                throw new JobParameterException(spec.Name, "is required");
            }
            else if (spec.DefaultValue is not null)
            {
                values[spec.Name] = Coerce(spec, spec.DefaultValue);
            }
        }

        return new JobParameters(values);
    }

    /// <summary>Whether the parameter has a value (given or defaulted).</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>An integer parameter's value.</summary>
    public long GetInt64(string name) => (long)Get(name);

    /// <summary>A floating-point parameter's value.</summary>
    public double GetDouble(string name) => (double)Get(name);

    /// <summary>A string parameter's value.</summary>
    public string GetString(string name) => (string)Get(name);

    /// <summary>A flag's value.</summary>
    public bool GetBool(string name) => (bool)Get(name);

    private object Get(string name) =>
        _values.TryGetValue(name, out var value)
            ? value
            : throw new JobParameterException(name, "is required");

    private static object Coerce(ParameterSpec spec, object value) => (spec.Type, value) switch
    {
        (ParameterType.Int, long l) => l,
        (ParameterType.Int, int i) => (long)i,
        (ParameterType.Double, double d) when double.IsFinite(d) => d,
        (ParameterType.Double, double) => throw new JobParameterException(spec.Name, "must be a finite number"),
        (ParameterType.Double, long l) => (double)l,
        (ParameterType.Double, int i) => (double)i,
        (ParameterType.String, string s) => s,
        (ParameterType.Bool, bool b) => b,
        _ => throw new JobParameterException(
            spec.Name,
            string.Create(CultureInfo.InvariantCulture, $"must be of type {spec.Type.ToString().ToLowerInvariant()}, not {Describe(value)}")),
    };

    private static object CheckRange(ParameterSpec spec, object value)
    {
        if (spec.Minimum is null && spec.Maximum is null)
        {
            return value;
        }

        var below = spec.Minimum is not null && Compare(value, spec.Minimum) < 0;
        var above = spec.Maximum is not null && Compare(value, spec.Maximum) > 0;
        if (!below && !above)
        {
            return value;
        }

        var got = string.Create(CultureInfo.InvariantCulture, $"{value}");
        var rule = (spec.Minimum, spec.Maximum) switch
        {
            (not null, null) => $"must be at least {spec.MinimumText} (got {got})",
            (null, not null) => $"must be at most {spec.MaximumText} (got {got})",
            _ => $"must be between {spec.MinimumText} and {spec.MaximumText} (got {got})",
        };
        throw new JobParameterException(spec.Name, rule);
    }

    private static int Compare(object value, object bound) => (value, bound) switch
    {
        (long l, long b) => l.CompareTo(b),
        (long l, double b) => ((double)l).CompareTo(b),
        (double d, long b) => d.CompareTo(b),
        (double d, double b) => d.CompareTo(b),
        _ => throw new InvalidOperationException($"A bound of type {bound.GetType().Name} cannot apply to a value of type {value.GetType().Name}."),
    };

    private static string Describe(object value) => value switch
    {
        long or int => "int",
        double => "double",
        string => "string",
        bool => "bool",
        _ => value.GetType().Name,
    };
}
