using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cluster.Bench.Reporting;

/// <summary>The report as a Spectre table on the console.</summary>
internal static class ConsoleReport
{
    public static void Write(IAnsiConsole console, BenchReport report)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape(report.Heading)), Caption = new TableTitle(Markup.Escape(report.MachineLine)) };
        foreach (var (column, i) in BenchReport.Columns.Select((c, i) => (c, i)))
        {
            table.AddColumn(new TableColumn(column) { Alignment = i is >= 2 and <= 4 ? Justify.Right : Justify.Left });
        }

        foreach (var row in report.Rows())
        {
            table.AddRow([.. row.Select((cell, i) => i == row.Count - 1 ? Met(cell) : (IRenderable)new Text(cell))]);
        }

        console.Write(table);
        foreach (var (workload, error) in report.Failures)
        {
            console.MarkupLine($"[red]{Markup.Escape(workload)} failed:[/] {Markup.Escape(error)}");
        }
    }

    private static Markup Met(string text) => new(text switch
    {
        "yes" => "[green]yes[/]",
        "NO" => "[red]NO[/]",
        _ => Markup.Escape(text),
    });
}
