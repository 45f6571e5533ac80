using System.Diagnostics;
using System.Globalization;
using Cluster.Bench.Infrastructure;
using Cluster.Bench.Measurement;
using Cluster.Client.Local;
using Cluster.Processes;

namespace Cluster.Bench.Workloads;

/// <summary>
/// Cold workers: on a running coordinator (warmed by a first worker), a freshly started worker takes over alone and
/// runs the same prime-counting job twice; its first run against its second is what the JIT costs a new node. Each
/// run measures the worker as shipped and, side by side, under other tiered-compilation settings given through the
/// environment, which shows where that cost lies.
/// </summary>
internal sealed class ColdWorkload : IWorkload
{
    // The shipped worker first; then the runtime's knobs that decide when hot code gets optimized.
    private static readonly (string Id, string Title, Dictionary<string, string> Environment)[] Variants =
    [
        ("shipped", "as shipped", []),
        ("tiered_default", "the runtime's defaults (DOTNET_TC_QuickJit=1)", new() { ["DOTNET_TC_QuickJit"] = "1" }),
        ("callcount_1000", "DOTNET_TC_CallCountThreshold=1000 (as the one-job cluster)", new() { ["DOTNET_TC_CallCountThreshold"] = LocalClusterOptions.OneJobEnvironment["DOTNET_TC_CallCountThreshold"] }),
        ("tieredpgo_off", "DOTNET_TieredPGO=0", new() { ["DOTNET_TieredPGO"] = "0", ["DOTNET_TC_QuickJit"] = "1" }),
        ("quickjitforloops_off", "DOTNET_TC_QuickJitForLoops=0", new() { ["DOTNET_TC_QuickJitForLoops"] = "0", ["DOTNET_TC_QuickJit"] = "1" }),
        ("quickjit_off", "DOTNET_TC_QuickJit=0", new() { ["DOTNET_TC_QuickJit"] = "0" }),
        ("tc_off", "DOTNET_TieredCompilation=0", new() { ["DOTNET_TieredCompilation"] = "0" }),
    ];

    public string Name => "cold";

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var threads = Environment.ProcessorCount;
        var to = context.Primes.RangeFor(TimeSpan.FromSeconds(context.Settings.Size(2.0 * threads, 0.5 * threads)));
        var expected = PrimeCalibration.Count(Jobs.InProcess.InProcessJobRunner.Run(
            new Jobs.BuiltIn.Primes.PrimesKind(), PrimeCalibration.Parameters(to), options: new Jobs.InProcess.InProcessRunOptions { Threads = threads, Chunks = PrimeCalibration.Chunks }, cancellationToken: cancellationToken).SummaryJson);
        context.Note($"primes in [0, {to:N0}) as {PrimeCalibration.Chunks} chunks on 1 worker x {threads} threads");
        await using var cluster = await context.StartClusterAsync(1, threads, cancellationToken);

        // The coordinator is warm when a node is added to a running cluster: warm it with the first worker.
        await cluster.RunAsync(PrimeCalibration.Spec(to), null, cancellationToken);
        var previous = cluster.Local.Workers[0];
        foreach (var run in context.Runs)
        {
            var note = $"run {run}:";
            // The smoke run (--quick) checks that the workload measures, on the shipped worker and the runtime's defaults.
            foreach (var (id, title, environment) in context.Settings.Quick ? Variants[..2] : Variants)
            {
                var launch = Stopwatch.StartNew();
                var fresh = await cluster.Local.StartWorkerAsync(environment, cancellationToken);
                var joined = launch.Elapsed;
                await StopAsync(previous, cancellationToken);
                previous = fresh;
                // CPU seconds as well as wall time: on a shared machine the wall time swings with the load of others,
                // the CPU time the worker spent on the job does much less.
                var cpu0 = ProcCpu.Seconds(fresh.Pid);
                var cold = await cluster.RunAsync(PrimeCalibration.Spec(to), null, cancellationToken);
                PrimeCalibration.Check(expected, cold.Job);
                var cpu1 = ProcCpu.Seconds(fresh.Pid);
                var warm = await cluster.RunAsync(PrimeCalibration.Spec(to), null, cancellationToken);
                PrimeCalibration.Check(expected, warm.Job);
                var warmCpu = ProcCpu.Seconds(fresh.Pid) - cpu1;
                var cpuRatio = (cpu1 - cpu0) / warmCpu;
                var ratio = cold.Elapsed / warm.Elapsed;
                context.Results.Add(new FigureSpec($"cold.first.{id}", "cold", $"Fresh worker's first job, {title}", "s"), cold.Elapsed.TotalSeconds);
                context.Results.Add(new FigureSpec($"cold.join.{id}", "cold", $"Worker launch to joined, {title}", "s"), joined.TotalSeconds);
                context.Results.Add(new FigureSpec($"cold.second.{id}", "cold", $"Same worker's second job, {title}", "s"), warm.Elapsed.TotalSeconds);
                context.Results.Add(new FigureSpec($"cold.ratio.{id}", "cold", $"First job / second job, {title}", "x", id == "shipped" ? Goal.AtMost(1.1) : null), ratio);
                context.Results.Add(new FigureSpec($"cold.cpu_second.{id}", "cold", $"Worker's CPU seconds for its second job, {title}", "s"), warmCpu);
                context.Results.Add(new FigureSpec($"cold.cpu_ratio.{id}", "cold", $"First job / second job in the worker's CPU seconds, {title}", "x"), cpuRatio);
                note += string.Create(CultureInfo.InvariantCulture, $" {title} {cold.Elapsed.TotalSeconds:0.00}/{warm.Elapsed.TotalSeconds:0.00} s ({ratio:0.000}, CPU {cpuRatio:0.000});");
            }

            context.Note(note);
        }
    }

    // Drains the worker (SIGTERM) so that only the fresh one takes the next job.
    private static async Task StopAsync(ClusterProcess worker, CancellationToken cancellationToken)
    {
        worker.Signal(Signals.SigTerm);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        await worker.WaitForExitAsync(deadline.Token);
    }
}
