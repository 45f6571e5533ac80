namespace Cluster.Client;

/// <summary>Small text helpers so that every error shown to a user reads as one sentence.</summary>
public static class Sentences
{
    /// <summary>Trims <paramref name="text"/> and makes it end with exactly one period (or its own ! or ?).</summary>
    public static string End(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().TrimEnd('.');
        return trimmed.EndsWith('!') || trimmed.EndsWith('?') ? trimmed : trimmed + ".";
    }

    /// <summary>Lower-cases the first letter unless the first word looks like an acronym, and drops a final period.</summary>
    public static string Lower(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().TrimEnd('.');
        if (trimmed.Length < 2 || !char.IsUpper(trimmed[0]) || char.IsUpper(trimmed[1]))
        {
            return trimmed;
        }

        return char.ToLowerInvariant(trimmed[0]) + trimmed[1..];
    }
}
