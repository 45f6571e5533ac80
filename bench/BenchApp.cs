using System.CommandLine;
using Cluster.Bench.Infrastructure;
using Cluster.Bench.Measurement;
using Cluster.Bench.Reporting;
using Cluster.Bench.Workloads;
using Spectre.Console;

namespace Cluster.Bench;

/// <summary>
/// The <c>cluster-bench</c> command: one subcommand per workload and <c>all</c>. Exit code 0 when every workload was
/// measured (whether or not it meets its goal), 1 when one failed, 2 for a usage error, 130 when interrupted.
/// </summary>
internal static class BenchApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var quick = new Option<bool>("--quick") { Description = "Smaller sizes and 1 run: about a minute in all", Recursive = true };
        var runs = new Option<int?>("--runs") { Description = "Runs per figure (default 3; with --quick 1)", HelpName = "N", Recursive = true };
        var output = new Option<string>("--out")
        {
            Description = "Where to write the JSON report",
            HelpName = "FILE.json",
            DefaultValueFactory = _ => Path.Combine("bench-results", "latest.json"),
            Recursive = true,
        };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the table as markdown to this file", HelpName = "FILE.md", Recursive = true };
        var root = new RootCommand("Measures a real local cluster (coordinator and worker processes) against in-process baselines") { quick, runs, output, markdown };

        IWorkload[] everything =
        [
            new DispatchWorkload(measureRates: true), new LatencyWorkload(), new CpuWorkload(), new DataWorkload(), new FailureWorkload(), new StartupWorkload(), new TypedWorkload(),
        ];
        var commands = new List<(string Name, string Description, IWorkload[] Workloads)>
        {
            ("all", "Every workload (the memory figure comes from the dispatch workload's 1,000,000-chunk job)", everything),
            ("dispatch", "Chunks per second of noop jobs of 100,000 and 1,000,000 chunks", [everything[0]]),
            ("latency", "Submit-to-result time of sequential one-chunk jobs", [everything[1]]),
            ("cpu", "Prime counting in process (1 thread, all cores) and on the cluster (2x1, 1x2)", [everything[2]]),
            ("data", "SHA-256 of a 2 GiB file in process and through the cluster", [everything[3]]),
            ("failure", "Cost of SIGKILLing one of two workers halfway through a job", [everything[4]]),
            ("memory", "Coordinator peak memory during a 1,000,000-chunk job", [new DispatchWorkload(measureRates: false)]),
            ("shipping", "Submit to first chunk done for a 5 MiB bundle the cluster has never seen, then for the same bundle again", [new ShippingWorkload()]),
            ("typed", "Typed SDK kinds against their byte-level versions: dispatch rate, CPU per chunk, codec cost", [everything[6]]),
            ("byref", "SHA-256 of 2 GiB and word count of 1 GiB by reference (file URL) on 2 workers x 1 thread, beside in process", [new ByReferenceWorkload()]),
            ("upload", "SHA-256 of 512 MiB uploaded to 2 workers x 1 thread, streamed and spooled whole side by side, beside in process", [new UploadWorkload()]),
            ("cold", "A freshly started worker's first prime-counting job against its second, as shipped and under other tiered-compilation settings", [new ColdWorkload()]),
            ("durability", "Dispatch rate of noop jobs without a journal and with --data-dir, side by side, the journal's memory and size, the restart time after a SIGKILL and the work redone", [new DurabilityWorkload()]),
        };
        foreach (var (name, description, workloads) in commands)
        {
            var command = new Command(name, description);
            command.SetAction((parse, ct) => RunWorkloadsAsync(Settings(parse), workloads, CreateConsole(), ct));
            root.Add(command);
        }

        // The startup workload of `all`, and of an installed `cluster` (a ReadyToRun publish) when asked.
        var cli = new Option<string?>("--cli") { Description = "Measure this `cluster` instead of the build output: an executable (an installed cluster) or a cluster.dll", HelpName = "PATH" };
        var startup = new Command("startup", "Time from launching `cluster submit` to the job's result") { cli };
        startup.SetAction((parse, ct) => RunWorkloadsAsync(Settings(parse), [new StartupWorkload(parse.GetValue(cli))], CreateConsole(), ct));
        root.Add(startup);

        // Not part of `all`: four clusters (five with --baseline) side by side, a few minutes in a full run.
        var baseline = new Option<string?>("--baseline") { Description = "Also run, open, the coordinator and worker built in this repository folder (another worktree)", HelpName = "DIR" };
        var security = new Command("security", "Dispatch rate and data plane open, with tokens, with TLS and with mutual TLS, side by side, as ratios to open") { baseline };
        security.SetAction((parse, ct) => RunWorkloadsAsync(Settings(parse), [new SecurityWorkload(parse.GetValue(baseline))], CreateConsole(), ct));
        root.Add(security);

        // Not part of `all` either: three coordinators against up to 1,000 simulated workers, a few minutes in a full run.
        var swarm = new Command("swarm", "One coordinator against 10, 100 and 1,000 simulated workers: join storm, dispatch rate, coordinator CPU and memory, fairness, heartbeat lag, wrongly dead workers");
        swarm.SetAction((parse, ct) => RunWorkloadsAsync(Settings(parse), [new SwarmWorkload()], CreateConsole(), ct));
        root.Add(swarm);

        // Not part of `all`: what watching costs (dashboard page, timeline, tracing) and the dashboard against 1,000 simulated workers.
        var observe = new Command("observe", "Dispatch rate as shipped, with a dashboard page open, with the timeline off and with tracing on, side by side; the dashboard's state and stream with 1,000 simulated workers and 100 jobs");
        observe.SetAction((parse, ct) => RunWorkloadsAsync(Settings(parse), [new ObservabilityWorkload()], CreateConsole(), ct));
        root.Add(observe);

        return await root.Parse(args).InvokeAsync();

        BenchSettings Settings(ParseResult parse)
        {
            var isQuick = parse.GetValue(quick);
            return new BenchSettings(isQuick, parse.GetValue(runs) ?? (isQuick ? 1 : 3), parse.GetValue(output)!, parse.GetValue(markdown));
        }
    }

    private static IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings());

        // Redirected output (a log, a test) gets 80 columns by default, which folds the table beyond reading.
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 180;
        }

        return console;
    }

    private static async Task<int> RunWorkloadsAsync(BenchSettings settings, IReadOnlyList<IWorkload> workloads, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (settings.Runs < 1)
        {
            console.MarkupLine($"[red]error:[/] --runs must be at least 1, not {settings.Runs}.");
            return 2;
        }

        var executables = Executables.Locate();
        var machine = MachineInfo.Current();
        var loadAtStart = MachineInfo.LoadAverage();
        var results = new Results();
        var context = new BenchContext(settings, executables, results, console);
        var failures = new List<(string Workload, string Error)>();
        console.WriteLine($"Machine: {machine.Summary}");
        foreach (var workload in workloads)
        {
            console.Write(new Rule(workload.Name) { Justification = Justify.Left });
            try
            {
                await workload.RunAsync(context, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                console.MarkupLine("[yellow]Interrupted; every process the bench started has been stopped.[/]");
                return 130;
            }
            catch (Exception e)
            {
                // One broken workload should not cost the figures of the others.
                failures.Add((workload.Name, e.Message));
                console.MarkupLine($"[red]{Markup.Escape(workload.Name)} failed:[/] {Markup.Escape(e.ToString())}");
            }
        }

        var report = new BenchReport(machine, DateTimeOffset.UtcNow, settings, results.Figures(), failures, (loadAtStart, MachineInfo.LoadAverage()));
        ConsoleReport.Write(console, report);
        await JsonReport.WriteAsync(report, settings.Out, cancellationToken);
        console.WriteLine($"JSON report: {Path.GetFullPath(settings.Out)}");
        if (settings.Markdown is not null)
        {
            await JsonReport.WriteFileAsync(settings.Markdown, MarkdownReport.Render(report), cancellationToken);
            console.WriteLine($"Markdown table: {Path.GetFullPath(settings.Markdown)}");
        }

        return failures.Count == 0 ? 0 : 1;
    }
}
