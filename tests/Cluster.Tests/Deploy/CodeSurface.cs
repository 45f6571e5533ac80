using System.Reflection;
using System.Text.RegularExpressions;
using Cluster.Coordinator;
using Cluster.Worker;

namespace Cluster.Tests.Deploy;

/// <summary>
/// What the code accepts, read from the code itself: settings are the writable public properties of the options
/// classes (by type name, so a class that is not there yet simply contributes nothing), switches are the
/// <c>SwitchMappings</c> of <see cref="CoordinatorApp"/> and <see cref="WorkerApp"/> plus the value-less flags, and the
/// CLI's options and the named <c>CLUSTER_</c> variables are the string literals of the sources.
/// </summary>
internal sealed partial class CodeSurface
{
    private static readonly (Assembly Assembly, string TypeName, string Section)[] OptionsClasses =
    [
        (typeof(CoordinatorApp).Assembly, "Cluster.Coordinator.Hosting.CoordinatorOptions", "Coordinator"),
        (typeof(CoordinatorApp).Assembly, "Cluster.Coordinator.Security.AuthOptions", "Coordinator"),
        (typeof(CoordinatorApp).Assembly, "Cluster.Coordinator.Transport.TlsOptions", "Coordinator"),
        (typeof(CoordinatorApp).Assembly, "Cluster.Coordinator.Limits.LimitsOptions", "Coordinator:Limits"),
        (typeof(WorkerApp).Assembly, "Cluster.Worker.Hosting.WorkerOptions", "Worker"),
    ];

    public required HashSet<string> Settings { get; init; }

    public required HashSet<string> CoordinatorSwitches { get; init; }

    public required HashSet<string> WorkerSwitches { get; init; }

    public required HashSet<string> CliOptions { get; init; }

    public required HashSet<string> NamedVariables { get; init; }

    /// <summary>Sections the code binds (<c>Coordinator</c>, <c>Worker</c>); keys under others (<c>Logging</c>) belong to the framework.</summary>
    public static IReadOnlyList<string> OwnSections { get; } = ["Coordinator", "Worker"];

    public static CodeSurface Load(string repoRoot)
    {
        var settings = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (assembly, typeName, section) in OptionsClasses)
        {
            var type = assembly.GetType(typeName);
            if (type is null)
            {
                continue;
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                settings.Add(section + ":" + property.Name);
            }
        }

        var flags = FlagsOf(typeof(Cluster.Hosting.HostingExtensions)).Concat(FlagsOf(typeof(Cluster.Processes.ProcessFlags))).ToList();
        var sources = Directory.EnumerateFiles(Path.Combine(repoRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var cliSources = sources.Where(f => f.StartsWith(Path.Combine(repoRoot, "src", "Cli") + Path.DirectorySeparatorChar, StringComparison.Ordinal));

        var cliOptions = new HashSet<string>(StringComparer.Ordinal) { "--help", "--version" };
        foreach (var file in cliSources)
        {
            foreach (Match m in OptionLiteral().Matches(File.ReadAllText(file)))
            {
                cliOptions.Add(m.Groups[1].Value);
            }
        }

        var variables = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in sources)
        {
            foreach (Match m in VariableLiteral().Matches(File.ReadAllText(file)))
            {
                variables.Add(m.Groups[1].Value);
            }
        }

        return new CodeSurface
        {
            Settings = settings,
            CoordinatorSwitches = [.. SwitchesOf(typeof(CoordinatorApp)).Concat(flags)],
            WorkerSwitches = [.. SwitchesOf(typeof(WorkerApp)).Concat(flags)],
            CliOptions = cliOptions,
            NamedVariables = variables,
        };
    }

    /// <summary>Whether <paramref name="key"/> (<c>Section:Key</c>, any depth) is a setting the code binds.</summary>
    public bool HasSetting(string key) => Settings.Contains(key);

    private static IEnumerable<string> SwitchesOf(Type app)
    {
        var field = app.GetField("SwitchMappings", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{app.Name} has no SwitchMappings field");
        return ((IDictionary<string, string>)field.GetValue(null)!).Keys;
    }

    private static IEnumerable<string> FlagsOf(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(v => v.StartsWith("--", StringComparison.Ordinal));

    [GeneratedRegex("\"(--[a-z][a-z0-9-]*)\"")]
    private static partial Regex OptionLiteral();

    [GeneratedRegex("\"(CLUSTER_[A-Z][A-Z0-9_]*)\"")]
    private static partial Regex VariableLiteral();
}
