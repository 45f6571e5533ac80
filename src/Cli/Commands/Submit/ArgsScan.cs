namespace Cluster.Cli.Commands.Submit;

/// <summary>
/// A look at the raw arguments before the command tree exists: the tree depends on them, because <c>--jobs</c>
/// assemblies add kinds, and a kind the CLI does not know gets a generic subcommand.
/// </summary>
internal static class ArgsScan
{
    /// <summary>Every <c>--jobs</c> value of a <c>submit</c> (as <c>--jobs X</c> or <c>--jobs=X</c>), split at commas; none for other verbs.</summary>
    public static IReadOnlyList<string> JobAssemblies(IReadOnlyList<string> args)
    {
        var paths = new List<string>();
        for (var i = 0; i < args.Count && args[0] == "submit"; i++)
        {
            string? value = args[i] switch
            {
                "--jobs" when i + 1 < args.Count => args[++i],
                var a when a.StartsWith("--jobs=", StringComparison.Ordinal) || a.StartsWith("--jobs:", StringComparison.Ordinal) => a[7..],
                _ => null,
            };
            paths.AddRange(Common.CommonOptions.SplitList(value));
        }

        return paths;
    }

    /// <summary>
    /// The kind named after <c>submit</c>: the first token that is neither an option nor the value of one of
    /// <paramref name="optionsWithValues"/>; null when the verb is not submit or no kind is named.
    /// </summary>
    public static string? SubmitKind(IReadOnlyList<string> args, IReadOnlySet<string> optionsWithValues)
    {
        if (args.Count == 0 || args[0] != "submit")
        {
            return null;
        }

        for (var i = 1; i < args.Count; i++)
        {
            var token = args[i];
            if (token == "--")
            {
                return i + 1 < args.Count ? args[i + 1] : null;
            }

            if (!token.StartsWith('-'))
            {
                return token;
            }

            if (optionsWithValues.Contains(token))
            {
                i++;
            }
        }

        return null;
    }
}
