using System.CommandLine;
using Cluster.Processes;

namespace Cluster.Cli.Commands.Serve;

/// <summary>Rebuilds the argument list a coordinator or worker expects from what the verb parsed.</summary>
internal sealed class PassThroughArgs(ParseResult parse)
{
    private readonly List<string> _args = [];

    /// <summary><c>--name value</c>, when the option was given.</summary>
    public PassThroughArgs Add<T>(Option<T> option)
    {
        if (parse.GetResult(option) is { Implicit: false } && parse.GetValue(option) is { } value)
        {
            _args.AddRange([option.Name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty]);
        }

        return this;
    }

    /// <summary><c>--name value</c> with a value the verb chose, when it has one.</summary>
    public PassThroughArgs AddDefault<T>(Option<T> option, string? value)
    {
        if (value is not null)
        {
            _args.AddRange([option.Name, value]);
        }

        return this;
    }

    /// <summary>A flag without a value (<c>--insecure</c>, <c>--exit-with-parent</c>), when given.</summary>
    public PassThroughArgs AddFlag(Option<bool> flag)
    {
        if (parse.GetValue(flag))
        {
            _args.Add(flag.Name);
        }

        return this;
    }

    /// <summary>The arguments, followed by every token the verb did not recognise (configuration such as <c>--Section:Key=value</c>).</summary>
    public string[] Build() => [.. _args, .. parse.UnmatchedTokens];

    /// <summary>The hidden <c>--exit-with-parent</c> flag.</summary>
    public static Option<bool> ParentWatchOption() => new(ProcessFlags.ExitWithParent) { Hidden = true, Description = "Exit when standard input closes" };
}
