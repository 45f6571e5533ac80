namespace Cluster.Jobs.Typed;

/// <summary>
/// The values a typed parameter accepts, inclusive at both ends. Put it on a constructor parameter (or the property) of
/// a parameters record; the bounds are checked before planning and shown by <c>cluster kinds</c> and
/// <c>cluster submit KIND --help</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, AllowMultiple = false)]
public sealed class RangeAttribute : Attribute
{
    /// <summary>Bounds for an integer parameter.</summary>
    public RangeAttribute(long minimum, long maximum)
    {
        Minimum = minimum;
        Maximum = maximum;
    }

    /// <summary>Bounds for a floating-point parameter.</summary>
    public RangeAttribute(double minimum, double maximum)
    {
        Minimum = minimum;
        Maximum = maximum;
    }

    /// <summary>The smallest value accepted (a <see cref="long"/> or a <see cref="double"/>).</summary>
    public object Minimum { get; }

    /// <summary>The largest value accepted (a <see cref="long"/> or a <see cref="double"/>).</summary>
    public object Maximum { get; }
}
