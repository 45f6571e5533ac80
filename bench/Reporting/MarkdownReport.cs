using System.Text;

namespace Cluster.Bench.Reporting;

/// <summary>The report as a markdown table, with the machine above it.</summary>
internal static class MarkdownReport
{
    public static string Render(BenchReport report)
    {
        var text = new StringBuilder();
        text.AppendLine("# " + report.Heading).AppendLine();
        text.AppendLine("Machine: " + report.MachineLine).AppendLine();
        text.AppendLine(Row(BenchReport.Columns));
        text.AppendLine(Row(BenchReport.Columns.Select((_, i) => i is >= 2 and <= 4 ? "---:" : "---")));
        foreach (var row in report.Rows())
        {
            text.AppendLine(Row(row));
        }

        foreach (var (workload, error) in report.Failures)
        {
            text.AppendLine().Append("**").Append(workload).Append(" failed:** ").AppendLine(error);
        }

        return text.ToString().TrimEnd();
    }

    private static string Row(IEnumerable<string> cells) => "| " + string.Join(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |";
}
