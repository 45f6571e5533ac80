namespace Cluster.Contracts.V1;

/// <summary>Conversions between protocol parameter values and plain .NET values.</summary>
public sealed partial class ParameterValue
{
    /// <summary>The value as a <see cref="long"/>, <see cref="double"/>, <see cref="string"/> or <see cref="bool"/>; <see langword="null"/> when unset.</summary>
    public object? ToClr() => ValueCase switch
    {
        ValueOneofCase.IntValue => IntValue,
        ValueOneofCase.DoubleValue => DoubleValue,
        ValueOneofCase.StringValue => StringValue,
        ValueOneofCase.BoolValue => BoolValue,
        _ => null,
    };

    /// <summary>Wraps a <see cref="long"/>, <see cref="int"/>, <see cref="double"/>, <see cref="float"/>, <see cref="string"/> or <see cref="bool"/>; a <see cref="ParameterValue"/> passes through.</summary>
    /// <exception cref="ArgumentException">Any other type.</exception>
    public static ParameterValue FromClr(object value) => value switch
    {
        long l => new ParameterValue { IntValue = l },
        int i => new ParameterValue { IntValue = i },
        double d => new ParameterValue { DoubleValue = d },
        float f => new ParameterValue { DoubleValue = f },
        ParameterValue v => v,
        string s => new ParameterValue { StringValue = s },
        bool b => new ParameterValue { BoolValue = b },
        _ => throw new ArgumentException($"A parameter value must be an integer, a number, a string or a flag, not {value.GetType().Name}.", nameof(value)),
    };
}
