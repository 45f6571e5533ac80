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
/// SDK's binary codecs next to System.Text.Json, and the CPU time of prime counting in process on one thread; and the
/// two kinds ported later, wordcount over a generated text and mandelbrot, each beside its byte-level version. Every run
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
        var temp = Directory.CreateTempSubdirectory("cluster-bench-typed-");
        try
        {
            var text = Path.Combine(temp.FullName, "words.txt");
            var textBytes = WriteText(text, context.Settings.Size(256L << 20, 32L << 20));
            context.Note($"wrote {textBytes / (1024.0 * 1024.0):N0} MiB of text to {text}");
            var spool = Directory.CreateDirectory(Path.Combine(temp.FullName, "spool")).FullName;
            await using var cluster = await context.StartClusterAsync(2, 1, cancellationToken, [$"--Coordinator:SpoolDirectory={spool}"], jobAssemblies: assemblies);
            await RunAsync(context, cluster, dispatchChunks, primesTo, text, textBytes, cancellationToken);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private static async Task RunAsync(BenchContext context, BenchCluster cluster, long dispatchChunks, long primesTo, string text, long textBytes, CancellationToken cancellationToken)
    {
        var mandelbrotSide = context.Settings.Size(4096L, 2048L);
        foreach (var kind in new[] { "pi", "pi-bytes" })
        {
            await cluster.RunAsync(PiSpec(kind, 10_000), null, cancellationToken);
            await cluster.RunAsync(PrimesSpec(kind.Replace("pi", "primes", StringComparison.Ordinal), PrimeCalibration.WarmUpTo), null, cancellationToken);
            await cluster.RunAsync(MandelbrotSpec(kind.Replace("pi", "mandelbrot", StringComparison.Ordinal), 256), null, cancellationToken);
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

            var wordcount = new Dictionary<string, Measured>(StringComparer.Ordinal);
            foreach (var variant in order)
            {
                await using var input = File.OpenRead(text);
                wordcount[variant] = await MeasureAsync(cluster, JobSpecs.Create(variant == "typed" ? "wordcount" : "wordcount-bytes"), null, cancellationToken, input);
            }

            var mandelbrot = new Dictionary<string, Measured>(StringComparer.Ordinal);
            foreach (var variant in order)
            {
                mandelbrot[variant] = await MeasureAsync(cluster, MandelbrotSpec(variant == "typed" ? "mandelbrot" : "mandelbrot-bytes", mandelbrotSide), null, cancellationToken);
            }

            Same(dispatch, "pi");
            Same(wordcount, "wordcount");
            Same(mandelbrot, "mandelbrot");
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

            foreach (var (name, measured, size) in new[] { ("wordcount", wordcount, $"{textBytes >> 20} MiB"), ("mandelbrot", mandelbrot, $"{mandelbrotSide}x{mandelbrotSide}") })
            {
                foreach (var (variant, m) in measured)
                {
                    context.Results.Add(Figure($"{name}.{variant}", $"{Title(name)} {size}, {variant}", "s"), m.Seconds);
                    context.Results.Add(Figure($"{name}.{variant}.coordinator_cpu", $"{Title(name)}, coordinator CPU, {variant}", "s"), m.CoordinatorCpu);
                    context.Results.Add(Figure($"{name}.{variant}.worker_cpu", $"{Title(name)}, worker CPU, {variant}", "s"), m.WorkerCpu);
                }

                context.Results.Add(Figure($"ratio.{name}", $"{Title(name)} throughput, typed / byte-level", "x", Goal.AtLeast(0.95)), measured["bytes"].Seconds / measured["typed"].Seconds);
                context.Results.Add(Figure($"ratio.{name}_cpu", $"{Title(name)} CPU (coordinator + workers), byte-level / typed", "x", Goal.AtLeast(0.95)), measured["bytes"].TotalCpu / measured["typed"].TotalCpu);
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

    /// <summary>Runs a job; its answer is the result's <paramref name="property"/>, or with none the whole result JSON.</summary>
    private static async Task<Measured> MeasureAsync(BenchCluster cluster, JobSpec spec, string? property, CancellationToken cancellationToken, Stream? input = null)
    {
        var before = cluster.CpuSeconds();
        var (job, elapsed, _) = await cluster.RunAsync(spec, input, cancellationToken);
        var after = cluster.CpuSeconds();
        using var result = JsonDocument.Parse(job.ResultJson);
        var answer = property is null ? job.ResultJson : result.RootElement.GetProperty(property).GetInt64().ToString(CultureInfo.InvariantCulture);
        return new Measured(elapsed.TotalSeconds, after.Coordinator - before.Coordinator, after.Workers - before.Workers, answer);
    }

    private static string Title(string kind) => char.ToUpperInvariant(kind[0]) + kind[1..];

    /// <summary>Writes at least <paramref name="bytes"/> of lines of words drawn from a fixed vocabulary (Zipf-like, fixed seed); returns the size.</summary>
    internal static long WriteText(string path, long bytes)
    {
        var random = new Random(12);
        var vocabulary = Enumerable.Range(0, 50_000).Select(i => "w" + i.ToString(CultureInfo.InvariantCulture) + (i % 7 == 0 ? "é" : string.Empty)).ToArray();
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        long written = 0;
        while (written < bytes)
        {
            var line = string.Join(' ', Enumerable.Range(0, 12).Select(_ => vocabulary[(int)(vocabulary.Length * Math.Pow(random.NextDouble(), 3))]));
            writer.WriteLine(line);
            written += System.Text.Encoding.UTF8.GetByteCount(line) + 1;
        }

        return written;
    }

    private static JobSpec MandelbrotSpec(string kind, long side)
    {
        var spec = JobSpecs.Create(kind, new Dictionary<string, object>(StringComparer.Ordinal) { ["width"] = side, ["height"] = side, ["max-iter"] = 256L });
        spec.Chunks = 64;
        return spec;
    }

    private static Measured RunInProcess(IJobKind kind, long to, CancellationToken cancellationToken)
    {
        var before = ProcCpu.Seconds(Environment.ProcessId);
        var (output, elapsed) = BenchContext.Time(() => InProcessJobRunner.Run(
            kind, PrimeCalibration.Parameters(to), options: new InProcessRunOptions { Threads = 1, Chunks = PrimeCalibration.Chunks }, cancellationToken: cancellationToken));
        return new Measured(elapsed.TotalSeconds, 0, ProcCpu.Seconds(Environment.ProcessId) - before, PrimeCalibration.Count(output.SummaryJson).ToString(CultureInfo.InvariantCulture));
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

    private sealed record Measured(double Seconds, double CoordinatorCpu, double WorkerCpu, string Answer)
    {
        public double TotalCpu => CoordinatorCpu + WorkerCpu;
    }
}
