using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Cluster.Tests.Deploy;

/// <summary>
/// Finds every command-line option, <c>CLUSTER_</c> variable and <c>Section:Key</c> setting a deployment file uses and
/// names those the code does not have. Structurally where the file allows: a YAML <c>command</c>/<c>args</c> list or a
/// systemd <c>ExecStart=</c> line is an invocation whose role (coordinator, worker, or a CLI verb) is known, so its
/// options are checked against that role's; JSON keys are settings. Everything else (comments, Dockerfile, scripts)
/// is scanned as text, each option checked against every role's and the few other tools' the files call.
/// </summary>
internal sealed partial class DeployFileChecker(CodeSurface code)
{
    /// <summary>Options of other tools the deployment files and their comments call (docker, compose, kubectl, dotnet).</summary>
    private static readonly HashSet<string> OtherTools = new(StringComparer.Ordinal)
    {
        "--from", "--chmod", "--scale", "--build", "--rm", "--from-file", "--replicas", "--file", "--filter", "--output",
        "--config", // prometheus --config.file
    };

    /// <summary>Placeholder spelling of the pattern itself (<c>CLUSTER_Section__Key</c>, <c>Section:Key</c>) in prose.</summary>
    private const string PlaceholderSection = "Section";

    public IReadOnlyList<string> Check(string name, string text)
    {
        var problems = new List<string>();
        var extension = Path.GetExtension(name);
        if (extension is ".yaml" or ".yml")
        {
            CheckYaml(name, text, problems);
        }
        else if (extension == ".json")
        {
            CheckJson(name, text, problems);
        }
        else if (extension == ".service")
        {
            CheckUnit(name, text, problems);
        }

        CheckText(name, text, problems);

        // An option already reported against its role needs no second, vaguer line from the text scan.
        return [.. problems.Distinct(StringComparer.Ordinal)
            .Where(p => !p.Contains(" no Cluster executable has an option ", StringComparison.Ordinal)
                || !problems.Any(q => q.EndsWith(" has no option " + p[(p.LastIndexOf(' ') + 1)..], StringComparison.Ordinal)))];
    }

    /// <summary>Checks the arguments of one invocation: <c>coordinator ...</c>, <c>worker ...</c>, or a CLI verb.</summary>
    public void CheckInvocation(string name, IReadOnlyList<string> words, List<string> problems)
    {
        if (words.Count == 0)
        {
            return;
        }

        var (role, switches) = words[0] switch
        {
            "coordinator" => ("coordinator", code.CoordinatorSwitches),
            "worker" => ("worker", code.WorkerSwitches),
            _ => ("cluster CLI", code.CliOptions),
        };
        foreach (var word in words.Skip(1))
        {
            var option = word.Split('=', 2)[0];
            if (!option.StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }

            if (option.Contains(':', StringComparison.Ordinal))
            {
                CheckSetting(name, option[2..], problems);
            }
            else if (!switches.Contains(option))
            {
                problems.Add($"{name}: the {role} has no option {option}");
            }
        }
    }

    private void CheckYaml(string name, string text, List<string> problems)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        foreach (var document in stream.Documents)
        {
            Walk(document.RootNode);
        }

        void Walk(YamlNode node)
        {
            switch (node)
            {
                case YamlMappingNode mapping:
                    foreach (var (key, value) in mapping.Children)
                    {
                        if (key is YamlScalarNode { Value: "command" or "args" })
                        {
                            var words = value switch
                            {
                                YamlSequenceNode sequence => sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty).ToList(),
                                YamlScalarNode scalar => [.. (scalar.Value ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)],
                                _ => [],
                            };
                            CheckInvocation(name, words, problems);
                        }

                        Walk(value);
                    }

                    break;
                case YamlSequenceNode sequence:
                    foreach (var child in sequence.Children)
                    {
                        Walk(child);
                    }

                    break;
            }
        }
    }

    private void CheckJson(string name, string text, List<string> problems)
    {
        using var document = JsonDocument.Parse(text);
        Walk(document.RootElement, string.Empty);

        void Walk(JsonElement element, string path)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, path.Length == 0 ? property.Name : path + ":" + property.Name);
                }
            }
            else if (path.Contains(':', StringComparison.Ordinal))
            {
                CheckSetting(name, path, problems);
            }
        }
    }

    private void CheckUnit(string name, string text, List<string> problems)
    {
        foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("ExecStart=", StringComparison.Ordinal)))
        {
            var words = line["ExecStart=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            var dll = words.FindIndex(w => w.EndsWith(".dll", StringComparison.Ordinal));
            if (dll < 0)
            {
                problems.Add($"{name}: ExecStart runs no Cluster executable: {line}");
                continue;
            }

            var role = Path.GetFileName(words[dll]) switch
            {
                "Cluster.Coordinator.dll" => "coordinator",
                "Cluster.Worker.dll" => "worker",
                "cluster.dll" => "cli",
                var other => other,
            };
            CheckInvocation(name, [role, .. words.Skip(dll + 1)], problems);
        }
    }

    private void CheckText(string name, string text, List<string> problems)
    {
        foreach (Match m in OptionWord().Matches(text))
        {
            var option = m.Value;
            if (!code.CoordinatorSwitches.Contains(option) && !code.WorkerSwitches.Contains(option)
                && !code.CliOptions.Contains(option) && !OtherTools.Contains(option))
            {
                problems.Add($"{name}: no Cluster executable has an option {option}");
            }
        }

        foreach (Match m in SettingVariable().Matches(text))
        {
            CheckSetting(name, m.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal), problems);
        }

        foreach (Match m in NamedVariable().Matches(text))
        {
            if (!code.NamedVariables.Contains(m.Value))
            {
                problems.Add($"{name}: the code reads no environment variable {m.Value}");
            }
        }

        foreach (Match m in SettingKey().Matches(text))
        {
            CheckSetting(name, m.Value, problems);
        }
    }

    private void CheckSetting(string name, string key, List<string> problems)
    {
        var section = key.Split(':')[0];
        if (section == PlaceholderSection || !CodeSurface.OwnSections.Contains(section, StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        if (!code.HasSetting(key))
        {
            problems.Add($"{name}: the code has no setting {key}");
        }
    }

    /// <summary><c>--name</c> as a word of its own, not <c>--Section:Key</c> (checked as a setting).</summary>
    [GeneratedRegex(@"(?<![\w-])--[A-Za-z][A-Za-z0-9-]*(?![\w:-])")]
    private static partial Regex OptionWord();

    /// <summary><c>CLUSTER_Section__Key</c> (any depth): the setting <c>Section:Key</c>.</summary>
    [GeneratedRegex(@"\bCLUSTER_([A-Za-z0-9]+(?:__[A-Za-z0-9]+)+)\b")]
    private static partial Regex SettingVariable();

    /// <summary>A variable the code reads by name, such as <c>CLUSTER_TOKEN</c> (upper case, no <c>__</c>).</summary>
    [GeneratedRegex(@"\bCLUSTER_[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\b(?!_)")]
    private static partial Regex NamedVariable();

    /// <summary><c>Coordinator:Key</c>, <c>Worker:Key</c>, <c>Coordinator:Limits:Key</c> in prose.</summary>
    [GeneratedRegex(@"(?<![\w-])(?:Coordinator|Worker)(?::[A-Z][A-Za-z0-9]*)+\b")]
    private static partial Regex SettingKey();
}
