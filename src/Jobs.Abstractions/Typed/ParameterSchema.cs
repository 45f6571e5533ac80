using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Cluster.Jobs.Typed;

/// <summary>
/// The parameters of a typed kind, read from its parameters record: one per parameter of the record's public
/// constructor, named in lower case with dashes (<c>BlockSize</c> is <c>block-size</c>), required unless it has a
/// default, described by <see cref="DescriptionAttribute"/> and bounded by <see cref="RangeAttribute"/>.
/// </summary>
internal sealed class ParameterSchema
{
    // Weak on the type, so a kind loaded in a collectible context can still be unloaded.
    private static readonly ConditionalWeakTable<Type, ParameterSchema> Cache = [];

    private readonly ConstructorInfo _constructor;
    private readonly ParameterInfo[] _arguments;

    private ParameterSchema(Type type)
    {
        var constructors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
        if (constructors.Length != 1)
        {
            throw new InvalidOperationException($"The parameters type {type.FullName} must have exactly one public constructor (a positional record has), not {constructors.Length}.");
        }

        _constructor = constructors[0];
        _arguments = _constructor.GetParameters();
        Specs = [.. _arguments.Select(a => Describe(type, a))];
    }

    public IReadOnlyList<ParameterSpec> Specs { get; }

    public static ParameterSchema For(Type type) => Cache.GetValue(type, static t => new ParameterSchema(t));

    /// <summary>Builds the parameters record from values bound (types, ranges and defaults already checked) against <see cref="Specs"/>.</summary>
    public object Create(JobParameters parameters)
    {
        var values = new object?[_arguments.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var argument = _arguments[i];
            values[i] = parameters.Values.TryGetValue(Specs[i].Name, out var value)
                ? Convert(argument.ParameterType, value)
                : argument.HasDefaultValue ? argument.DefaultValue : throw new JobParameterException(Specs[i].Name, "is required");
        }

        return _constructor.Invoke(values);
    }

    private static object Convert(Type type, object value) => (Type.GetTypeCode(type), value) switch
    {
        (TypeCode.Int32, long l) => checked((int)l),
        (TypeCode.Single, double d) => (float)d,
        _ => value,
    };

    private static ParameterSpec Describe(Type owner, ParameterInfo argument)
    {
        var argumentName = argument.Name ?? throw new InvalidOperationException($"A constructor parameter of {owner.FullName} has no name.");
        var name = JsonNamingPolicy.KebabCaseLower.ConvertName(argumentName);
        var property = owner.GetProperty(argumentName, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        var description = argument.GetCustomAttribute<DescriptionAttribute>()?.Description
            ?? property?.GetCustomAttribute<DescriptionAttribute>()?.Description
            ?? string.Empty;
        var range = argument.GetCustomAttribute<RangeAttribute>() ?? property?.GetCustomAttribute<RangeAttribute>();
        var (type, minimum, maximum) = Type.GetTypeCode(argument.ParameterType) switch
        {
            TypeCode.Int64 => (ParameterType.Int, (object?)null, (object?)null),
            TypeCode.Int32 => (ParameterType.Int, (long)int.MinValue, (long)int.MaxValue),
            TypeCode.Double => (ParameterType.Double, null, null),
            TypeCode.Single => (ParameterType.Double, (double)float.MinValue, (double)float.MaxValue),
            TypeCode.String => (ParameterType.String, null, null),
            TypeCode.Boolean => (ParameterType.Bool, null, null),
            _ => throw new InvalidOperationException(
                $"Parameter '{argumentName}' of {owner.FullName} is a {argument.ParameterType.Name}; typed parameters are long, int, double, float, string or bool."),
        };
        if (range is not null)
        {
            (minimum, maximum) = Bounds(owner, argumentName, type, range, minimum, maximum);
        }

        var defaultValue = argument.HasDefaultValue ? Widen(argument.DefaultValue) : null;
        return new ParameterSpec(name, type, description, defaultValue, Required: !argument.HasDefaultValue)
        {
            Minimum = minimum,
            Maximum = maximum,
        };
    }

    private static (object? Minimum, object? Maximum) Bounds(Type owner, string name, ParameterType type, RangeAttribute range, object? typeMinimum, object? typeMaximum)
    {
        switch (type, range.Minimum, range.Maximum)
        {
            // The extremes of a type are no bound: [Range(1, long.MaxValue)] reads "at least 1".
            case (ParameterType.Int, long min, long max):
                var (low, high) = (Math.Max(min, (long?)typeMinimum ?? long.MinValue), Math.Min(max, (long?)typeMaximum ?? long.MaxValue));
                return (low == long.MinValue ? null : low, high == long.MaxValue ? null : high);
            case (ParameterType.Double, double min, double max):
                return (double.IsNegativeInfinity(min) || min == double.MinValue ? null : min, double.IsPositiveInfinity(max) || max == double.MaxValue ? null : max);
            case (ParameterType.Double, long min, long max):
                return ((double)min, (double)max);
            default:
                throw new InvalidOperationException($"Parameter '{name}' of {owner.FullName}: a [Range] needs a number parameter, with whole bounds for a whole number.");
        }
    }

    private static object? Widen(object? value) => value switch
    {
        int i => (long)i,
        float f => (double)f,
        _ => value,
    };
}
