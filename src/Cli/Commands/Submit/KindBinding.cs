using System.CommandLine;
using Cluster.Client;
using Cluster.Contracts.V1;

namespace Cluster.Cli.Commands.Submit;

/// <summary>
/// The subcommand of one job kind under <c>submit</c>: a typed option per declared parameter, <c>--input</c> for kinds
/// that read input, and <c>--param name=value</c> for anything else (kinds unknown to this CLI, or names that clash
/// with the shared options).
/// </summary>
internal sealed class KindBinding
{
    public const string InputOption = "--input";

    /// <summary>The option naming the input by location (<c>file:///path</c>), read by the workers themselves.</summary>
    public const string InputUrlOption = "--input-url";
    public const string ParamOption = "--param";

    /// <summary>The flag that sends <c>--input</c> up even to a cluster whose workers could read it where it is.</summary>
    public const string UploadOption = "--upload";

    private readonly List<(string Name, Func<ParseResult, ParameterValue?> Read)> _readers = [];
    private readonly Option<string[]> _param;
    private readonly Option<FileInfo> _input;
    private readonly Option<string> _inputUrl;
    private readonly Option<bool> _upload;

    /// <param name="kind">The kind's declaration.</param>
    /// <param name="known">Whether the declaration is local (else the coordinator types the <c>--param</c> values).</param>
    /// <param name="reserved">Option names a parameter cannot take.</param>
    public KindBinding(KindInfo kind, bool known, IReadOnlySet<string> reserved)
    {
        Kind = kind;
        Known = known;
        Command = new Command(kind.Name, known ? kind.Description : "A kind this CLI does not know: give parameters with --param; the coordinator types them");
        foreach (var parameter in kind.Parameters.Where(p => !reserved.Contains("--" + p.Name)))
        {
            var (option, read) = CreateOption(parameter);
            Command.Add(option);
            _readers.Add((parameter.Name, read));
        }

        _input = new Option<FileInfo>(InputOption)
        {
            Description = "Input data file: read where it is by workers on this machine (cluster local, no --coordinator), else streamed to the coordinator",
            HelpName = "FILE",
            Hidden = known && !kind.TakesInput,
        };
        _input.AcceptExistingOnly();
        _inputUrl = new Option<string>(InputUrlOption)
        {
            Description = "Input by reference, read by the workers themselves: file:///absolute/path of a file every worker can read, or http(s):// of a server that answers range requests",
            HelpName = "URL",
            Hidden = known && !kind.TakesInput,
        };
        _upload = new Option<bool>(UploadOption)
        {
            Description = "Stream --input to the coordinator even when its workers could read the file where it is",
            Hidden = known && !kind.TakesInput,
        };
        _param = new Option<string[]>(ParamOption)
        {
            Description = "A parameter as name=value (repeatable)",
            HelpName = "NAME=VALUE",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        Command.Add(_input);
        Command.Add(_inputUrl);
        Command.Add(_upload);
        Command.Add(_param);
    }

    public KindInfo Kind { get; }

    public bool Known { get; }

    public Command Command { get; }

    /// <summary>Values of the typed options that were given.</summary>
    public Dictionary<string, ParameterValue> ReadTyped(ParseResult parse)
    {
        var values = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        foreach (var (name, read) in _readers)
        {
            if (read(parse) is { } value)
            {
                values[name] = value;
            }
        }

        return values;
    }

    /// <summary>The <c>--param</c> values, still text.</summary>
    /// <exception cref="ParameterFormatException">A value is not name=value.</exception>
    public IReadOnlyList<KeyValuePair<string, string>> ReadRaw(ParseResult parse) =>
        [.. (parse.GetValue(_param) ?? []).Select(a => JobSpecs.SplitAssignment(a, ParamOption))];

    public FileInfo? ReadInput(ParseResult parse) => parse.GetValue(_input);

    public string? ReadInputUrl(ParseResult parse) => parse.GetValue(_inputUrl);

    public bool ReadUpload(ParseResult parse) => parse.GetValue(_upload);

    private static (Option Option, Func<ParseResult, ParameterValue?> Read) CreateOption(ParameterInfo parameter)
    {
        var name = "--" + parameter.Name;
        var description = ParameterText.Help(parameter);
        if (parameter.Type == ParameterValues.BoolType)
        {
            var flag = new Option<bool>(name) { Description = description, Required = parameter.Required };
            return (flag, parse => parse.GetResult(flag) is { Implicit: false } ? ParameterValues.Of(parse.GetValue(flag)) : null);
        }

        var option = new Option<ParameterValue?>(name)
        {
            Description = description,
            Required = parameter.Required,
            HelpName = parameter.Type,
            CustomParser = result =>
            {
                try
                {
                    return ParameterValues.Parse(name, parameter.Type, result.Tokens[0].Value);
                }
                catch (ParameterFormatException e)
                {
                    result.AddError(e.Message);
                    return null;
                }
            },
        };
        return (option, parse => parse.GetValue(option));
    }
}
