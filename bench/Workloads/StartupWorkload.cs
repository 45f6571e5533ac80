using System.Text.Json;
using Cluster.Bench.Infrastructure;
using Cluster.Bench.Measurement;

namespace Cluster.Bench.Workloads;

/// <summary>
/// Start-up: the real CLI submitting a one-chunk noop job to the local cluster it starts for it
/// (<c>cluster submit noop --chunks 1 --json</c>), timed from the launch to the job's result on standard output, to the
/// submission (that time less the job's own elapsed time), and to the CLI's exit (after it stopped its cluster).
/// </summary>
/// <param name="cli">
/// The <c>cluster</c> to measure: an executable (an installed one, say a ReadyToRun publish) or a <c>cluster.dll</c>;
/// null for the build output.
/// </param>
internal sealed class StartupWorkload(string? cli = null) : IWorkload
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly FigureSpec ToResult = new("startup.to_result", "startup", "CLI launch to the job's result (first chunk done)", "s", Goal.Below(1.0));
    private static readonly FigureSpec ToSubmitted = new("startup.to_submitted", "startup", "CLI launch to the job's submission (cluster up)", "s");
    private static readonly FigureSpec Cpu = new("startup.cpu", "startup", "CPU seconds of the whole CLI run, its coordinator and worker included", "s");
    private static readonly FigureSpec Wall = new("startup.wall", "startup", "Whole CLI run, cluster stop included", "s");

    public string Name => "startup";

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var (fileName, leading) = cli switch
        {
            null => ("dotnet", new[] { context.Executables.Cli }),
            _ when cli.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) => ("dotnet", new[] { Path.GetFullPath(cli) }),
            _ => (Path.GetFullPath(cli), Array.Empty<string>()),
        };
        context.Note($"cluster: {string.Join(' ', leading.Prepend(fileName))}");
        foreach (var run in context.Runs)
        {
            var cpuBefore = ProcCpu.EndedChildrenSeconds();
            var result = await TimedProcess.RunAsync(
                fileName, [.. leading, "submit", "noop", "--chunks", "1", "--json"], Timeout, cancellationToken);
            var (at, line) = result.Lines.LastOrDefault(l => l.Line.StartsWith('{'));
            if (result.ExitCode != 0 || line is null)
            {
                throw new InvalidOperationException(
                    $"cluster submit exited with code {result.ExitCode}: {string.Join(" | ", result.Errors.TakeLast(5))}");
            }

            using var json = JsonDocument.Parse(line);
            var jobMs = json.RootElement.GetProperty("elapsedMs").GetInt64();
            context.Results.Add(ToResult, at.TotalSeconds);
            context.Results.Add(ToSubmitted, at.TotalSeconds - (jobMs / 1000.0));
            context.Results.Add(Wall, result.Wall.TotalSeconds);

            // Start-up is CPU-bound (three processes JIT their code on two cores): its CPU time shows what the wall
            // time costs when the machine is shared, and does not swing with the load of others.
            var cpu = ProcCpu.EndedChildrenSeconds() - cpuBefore;
            context.Results.Add(Cpu, cpu);
            context.Note($"run {run}: result after {at.TotalSeconds:0.00} s (job {jobMs} ms from submission), exit after {result.Wall.TotalSeconds:0.00} s, {cpu:0.00} CPU s");
        }
    }
}
