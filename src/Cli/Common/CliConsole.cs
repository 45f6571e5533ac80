using Spectre.Console;

namespace Cluster.Cli.Common;

/// <summary>
/// Where the CLI writes: results on standard output (so they can be piped), everything for humans (progress, tables
/// of status, errors) through Spectre.Console. Progress and errors go to standard error.
/// </summary>
/// <param name="Out">Raw standard output, for JSON and result data.</param>
/// <param name="Error">Raw standard error, for one-line errors.</param>
/// <param name="Tables">Spectre console on standard output, for tables.</param>
/// <param name="Status">Spectre console on standard error, for progress.</param>
/// <param name="StatusIsInteractive">Whether standard error is a terminal that can show a live progress bar.</param>
/// <param name="GetEnvironmentVariable">Reads an environment variable.</param>
internal sealed record CliConsole(
    TextWriter Out,
    TextWriter Error,
    IAnsiConsole Tables,
    IAnsiConsole Status,
    bool StatusIsInteractive,
    Func<string, string?> GetEnvironmentVariable)
{
    public static CliConsole CreateDefault()
    {
        var status = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var tables = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            // Piped or captured output has no terminal width to respect; a narrow default would wrap every cell.
            tables.Profile.Width = 200;
        }

        return new CliConsole(
            Console.Out,
            Console.Error,
            tables,
            status,
            !Console.IsErrorRedirected && status.Profile.Capabilities.Interactive,
            Environment.GetEnvironmentVariable);
    }

    /// <summary>Writes <c>error: message</c> on standard error.</summary>
    public void WriteError(string message) => Error.WriteLine("error: " + message);

    /// <summary>Writes a note for humans on standard error.</summary>
    public void WriteNote(string message) => Error.WriteLine(message);
}
