using System.Globalization;
using System.Text.Json;
using Cluster.Bench.BaselineKinds;
using Cluster.Bench.Infrastructure;
using Cluster.Bench.Measurement;
using Cluster.Client;
using Cluster.Contracts.V1;
using Cluster.Jobs;
using Cluster.Jobs.BuiltIn.Primes;
using Cluster.Jobs.InProcess;

namespace Cluster.Bench.Workloads;

/// <summary>
/// The typed SDK against the byte-level contract, side by side on one cluster (2 workers x 1 thread, with the frozen
/// byte-level kinds loaded as KIND-bytes): dispatch rate and CPU per chunk of pi jobs of one sample per chunk (all
/// overhead), and time and CPU per chunk of prime counting (all compute); plus the serialisation cost per chunk of the
/// SDK's binary codecs next to System.Text.Json, and the CPU time of prime counting in process on one thread. Every run
/// alternates which of the two goes first.
/// </summary>
internal sealed class TypedWorkload : IWorkload
{
    public string Name => "typed";

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var dispatchChunks = context.Settings.Size(100_000L, 20_000L);
        var primesTo = context.Primes.RangeFor(TimeSpan.FromSeconds(context.Settings.Size(8, 1)));
        var assemblies = new[] { typeof(PiBytesKind).Assembly.Location };
        await using var cluster = await context.StartClusterAsync(2, 1, cancellationToken, jobAssemblies: assemblies);
        foreach (var kind in new[] { "pi", "pi-bytes" })
        {
            await cluster.RunAsync(PiSpec(kind, 10_000), null, cancellationToken);
            await cluster.RunAsync(PrimesSpec(kind.Replace("pi", "primes", StringComparison.Ordinal), PrimeCalibration.WarmUpTo), null, cancellationToken);
        }

        foreach (var run in context.Runs)
        {
            var codec = CodecTiming.Measure(TimeSpan.FromSeconds(context.Settings.Size(1.0, 0.3)));
            context.Results.Add(Figure("codec.binary", "Codec, SDK binary (range payload + count result)", "CPU ns/chunk"), codec.Binary);
            context.Results.Add(Figure("codec.json_sourcegen", "Codec, System.Text.Json source-generated", "CPU ns/chunk"), codec.SourceGenerated);
            context.Results.Add(Figure("codec.json_reflection", "Codec, System.Text.Json reflection", "CPU ns/chunk"), codec.Reflection);

            var order = run % 2 == 1 ? new[] { "typed", "bytes" } : ["bytes", "typed"];
            var dispatch = new Dictionary<string, Measured>(StringComparer.Ordinal);
            var primes = new Dictionary<string, Measured>(StringComparer.Ordinal);
            foreach (var variant in order)
            {
                dispatch[variant] = await MeasureAsync(cluster, PiSpec(variant == "typed" ? "pi" : "pi-bytes", dispatchChunks), "inside", cancellationToken);
            }

            foreach (var variant in order)
            {
                primes[variant] = await MeasureAsync(cluster, PrimesSpec(variant == "typed" ? "primes" : "primes-bytes", primesTo), "count", cancellationToken);
            }

            // In process on one thread, timed by this process's CPU time: the kinds alone, without the cluster or its noise.
            var inProcess = new Dictionary<string, Measured>(StringComparer.Ordinal);
            foreach (var variant in order)
            {
                inProcess[variant] = RunInProcess(variant == "typed" ? new PrimesKind() : new PrimesBytesKind(), primesTo, cancellationToken);
            }

            Same(dispatch, "pi");
            Same(primes, "primes");
            Same(inProcess, "primes in process");
            context.Results.Add(Figure("ratio.primes_inprocess_cpu", "Primes in process on 1 thread, CPU, byte-level / typed", "x", Goal.AtLeast(0.95)), inProcess["bytes"].WorkerCpu / inProcess["typed"].WorkerCpu);
            foreach (var (variant, m) in dispatch)
            {
                context.Results.Add(Figure($"dispatch.{variant}", $"Dispatch rate, pi 1 sample/chunk, {variant}", "chunks/s"), dispatchChunks / m.Seconds);
                context.Results.Add(Figure($"dispatch.{variant}.coordinator_cpu", $"Coordinator CPU per chunk, pi 1 sample/chunk, {variant}", "µs"), m.CoordinatorCpu * 1e6 / dispatchChunks);
                context.Results.Add(Figure($"dispatch.{variant}.worker_cpu", $"Worker CPU per chunk, pi 1 sample/chunk, {variant}", "µs"), m.WorkerCpu * 1e6 / dispatchChunks);
            }

            foreach (var (variant, m) in primes)
            {
                context.Results.Add(Figure($"primes.{variant}", $"Primes to {primesTo:N0} in {PrimeCalibration.Chunks} chunks, {variant}", "s"), m.Seconds);
                context.Results.Add(Figure($"primes.{variant}.worker_cpu", $"Primes, worker CPU per chunk, {variant}", "ms"), m.WorkerCpu * 1e3 / PrimeCalibration.Chunks);
            }

            var dispatchRatio = dispatch["bytes"].Seconds / dispatch["typed"].Seconds;
            var primesRatio = primes["bytes"].Seconds / primes["typed"].Seconds;
            context.Results.Add(Figure("ratio.dispatch", "Dispatch rate, typed / byte-level", "x", Goal.AtLeast(0.95)), dispatchRatio);
            context.Results.Add(Figure("ratio.dispatch_cpu", "CPU per chunk (coordinator + workers), pi 1 sample/chunk, byte-level / typed", "x", Goal.AtLeast(0.95)), dispatch["bytes"].TotalCpu / dispatch["typed"].TotalCpu);
            context.Results.Add(Figure("ratio.primes", "Primes throughput, typed / byte-level", "x", Goal.AtLeast(0.95)), primesRatio);
            context.Results.Add(Figure("ratio.primes_cpu", "Primes worker CPU, byte-level / typed", "x", Goal.AtLeast(0.95)), primes["bytes"].WorkerCpu / primes["typed"].WorkerCpu);
            context.Note(string.Create(
                CultureInfo.InvariantCulture,
                $"run {run}: codec binary {codec.Binary:0} ns, json source-generated {codec.SourceGenerated:0} ns, json reflection {codec.Reflection:0} ns; dispatch typed/bytes {dispatchRatio:0.000}, primes typed/bytes {primesRatio:0.000}"));
        }
    }

    private static async Task<Measured> MeasureAsync(BenchCluster cluster, JobSpec spec, string property, CancellationToken cancellationToken)
    {
        var before = cluster.CpuSeconds();
        var (job, elapsed, _) = await cluster.RunAsync(spec, null, cancellationToken);
        var after = cluster.CpuSeconds();
        using var result = JsonDocument.Parse(job.ResultJson);
        return new Measured(elapsed.TotalSeconds, after.Coordinator - before.Coordinator, after.Workers - before.Workers, result.RootElement.GetProperty(property).GetInt64());
    }

    private static Measured RunInProcess(IJobKind kind, long to, CancellationToken cancellationToken)
    {
        var before = ProcCpu.Seconds(Environment.ProcessId);
        var (output, elapsed) = BenchContext.Time(() => InProcessJobRunner.Run(
            kind, PrimeCalibration.Parameters(to), options: new InProcessRunOptions { Threads = 1, Chunks = PrimeCalibration.Chunks }, cancellationToken: cancellationToken));
        return new Measured(elapsed.TotalSeconds, 0, ProcCpu.Seconds(Environment.ProcessId) - before, PrimeCalibration.Count(output.SummaryJson));
    }

    private static void Same(Dictionary<string, Measured> measured, string kind)
    {
        if (measured["typed"].Answer != measured["bytes"].Answer)
        {
            throw new InvalidOperationException($"Typed {kind} answered {measured["typed"].Answer}, byte-level {measured["bytes"].Answer}.");
        }
    }

    private static JobSpec PiSpec(string kind, long chunks)
    {
        var spec = JobSpecs.Create(kind, new Dictionary<string, object>(StringComparer.Ordinal) { ["samples"] = chunks, ["seed"] = 1L });
        spec.Chunks = chunks;
        return spec;
    }

    private static JobSpec PrimesSpec(string kind, long to)
    {
        var spec = JobSpecs.Create(kind, PrimeCalibration.Parameters(to));
        spec.Chunks = PrimeCalibration.Chunks;
        return spec;
    }

    private static FigureSpec Figure(string id, string title, string unit, Goal? goal = null) => new("typed." + id, "typed", title, unit, goal);

    private sealed record Measured(double Seconds, double CoordinatorCpu, double WorkerCpu, long Answer)
    {
        public double TotalCpu => CoordinatorCpu + WorkerCpu;
    }
}
