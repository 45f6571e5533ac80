using Cluster.Cli.Common;
using Spectre.Console;

namespace Cluster.Tests.Cli;

/// <summary>A <see cref="CliConsole"/> that records what the CLI writes.</summary>
internal sealed class TestConsole
{
    public TestConsole(Func<string, string?>? environment = null)
    {
        var tables = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Out), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        var status = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Error), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        Console = new CliConsole(Out, Error, tables, status, StatusIsInteractive: false, environment ?? (_ => null));
    }

    public StringWriter Out { get; } = new();

    public StringWriter Error { get; } = new();

    public CliConsole Console { get; }
}
