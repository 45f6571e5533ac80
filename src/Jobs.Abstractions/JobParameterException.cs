namespace Cluster.Jobs;

/// <summary>A job was rejected because one field broke one rule. The coordinator answers it with InvalidArgument.</summary>
public sealed class JobParameterException : Exception
{
    /// <summary>Creates the exception; the message reads "<paramref name="field"/> <paramref name="rule"/>".</summary>
    /// <param name="field">The parameter (or spec field) at fault, for example <c>from</c> or <c>input</c>.</param>
    /// <param name="rule">The rule it broke, phrased to follow the field name, for example "must be less than 'to'".</param>
    public JobParameterException(string field, string rule)
        : base($"{field} {rule}")
    {
        Field = field;
        Rule = rule;
    }

    /// <summary>The field at fault.</summary>
    public string Field { get; }

    /// <summary>The rule it broke.</summary>
    public string Rule { get; }
}
