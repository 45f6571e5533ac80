using System.Text.Json;
using Cluster.Bench.Infrastructure;
using Cluster.Bench.Measurement;
using Cluster.Client;
using Cluster.Client.Local;
using Cluster.Jobs;
using Cluster.Jobs.BuiltIn.Sha256;
using Cluster.Jobs.BuiltIn.WordCount;
using Cluster.Jobs.InProcess;

namespace Cluster.Bench.Workloads;

/// <summary>
/// Data by reference: SHA-256 of a 2 GiB file and the word count of a 1 GiB text, each in process on every core and on
/// a running local cluster of 2 workers x 1 thread reading the file by <c>file://</c> URL, side by side in every run,
/// with the CPU seconds per GiB of each process. Then SHA-256 on the embedded cluster as <c>cluster submit</c> starts it:
/// fresh in every run, one worker with a thread per core, the one-job environment, so the job is the first its
/// processes see; and the same with the runtime's own tiering thresholds, side by side, in alternating order.
/// </summary>
internal sealed class ByReferenceWorkload : IWorkload
{
    private const long WordCountChunks = 256;
    private static readonly string[] ResultFields = ["root", "total", "distinct", "top"];

    public string Name => "byref";

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var temp = Directory.CreateTempSubdirectory("cluster-bench-byref-");
        try
        {
            var binary = Path.Combine(temp.FullName, "input.bin");
            var binaryBytes = context.Settings.Size(2L << 30, 256L << 20);
            await DataWorkload.WriteRandomFileAsync(binary, binaryBytes, cancellationToken);
            var text = Path.Combine(temp.FullName, "words.txt");
            var textBytes = TypedWorkload.WriteText(text, context.Settings.Size(1L << 30, 64L << 20));
            context.Note($"wrote {binaryBytes >> 20} MiB of random bytes and {textBytes >> 20} MiB of text");
            await using (var cluster = await context.StartClusterAsync(2, 1, cancellationToken))
            {
                foreach (var run in context.Runs)
                {
                    await MeasureAsync(context, cluster, new Sha256Kind(), JobSpecs.Create("sha256"), binary, binaryBytes, new InProcessRunOptions(), "sha256", "SHA-256", cancellationToken);
                    var count = JobSpecs.Create("wordcount");
                    count.Chunks = WordCountChunks;
                    await MeasureAsync(context, cluster, new WordCountKind(), count, text, textBytes, new InProcessRunOptions { Chunks = WordCountChunks }, "wordcount", "Word count", cancellationToken);
                }
            }

            var embedded = context.Executables.AsEmbedded();
            var variants = EmbeddedVariants();
            foreach (var run in context.Runs)
            {
                foreach (var (id, title, environment) in run % 2 == 1 ? variants : variants.Reverse())
                {
                    await using var fresh = await context.StartClusterAsync(1, Environment.ProcessorCount, cancellationToken, environment: environment, from: embedded);
                    await MeasureAsync(context, fresh, new Sha256Kind(), JobSpecs.Create("sha256"), binary, binaryBytes, new InProcessRunOptions(), id, title, cancellationToken);
                }
            }
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private static async Task MeasureAsync(
        BenchContext context, BenchCluster cluster, IJobKind kind, Contracts.V1.JobSpec spec, string path, long bytes, InProcessRunOptions options, string id, string title, CancellationToken cancellationToken)
    {
        var mib = bytes / (1024.0 * 1024.0);
        var gib = mib / 1024;
        var cpuBefore = ProcCpu.Seconds(Environment.ProcessId);
        JobOutput output;
        TimeSpan elapsed;
        using (var input = new FileJobInput(path))
        {
            (output, elapsed) = BenchContext.Time(() => InProcessJobRunner.Run(kind, new Dictionary<string, object>(), input, options, cancellationToken));
        }

        var inProcess = mib / elapsed.TotalSeconds;
        context.Results.Add(Figure(id, "inprocess", $"{title} in process, all threads", "MiB/s"), inProcess);
        context.Results.Add(Figure(id, "cpu.inprocess", $"{title} in process, CPU seconds per GiB", "s/GiB"), (ProcCpu.Seconds(Environment.ProcessId) - cpuBefore) / gib);

        spec.InputUrl = new Uri(path).AbsoluteUri;
        var workers = cluster.LiveWorkers.Select(w => w.Pid).ToList();
        var before = (Coordinator: ProcCpu.Seconds(cluster.Local.Coordinator.Pid), Workers: workers.Sum(ProcCpu.Seconds));
        var run = await cluster.RunAsync(spec, null, cancellationToken);
        if (!SameResult(output.SummaryJson, run.Job.ResultJson))
        {
            throw new InvalidOperationException($"Job {run.Job.JobId} ({id} by reference) computed {run.Job.ResultJson}; in process: {output.SummaryJson}");
        }

        var rate = mib / run.Elapsed.TotalSeconds;
        context.Results.Add(Figure(id, "cluster", $"{title} by reference (file URL), {cluster.Description}", "MiB/s"), rate);
        context.Results.Add(Figure(id, "ratio", $"{title} by reference / in process", "x", Goal.AtLeast(0.8)), rate / inProcess);
        context.Results.Add(Figure(id, "cpu.coordinator", $"{title} by reference, coordinator CPU seconds per GiB", "s/GiB"), (ProcCpu.Seconds(cluster.Local.Coordinator.Pid) - before.Coordinator) / gib);
        context.Results.Add(Figure(id, "cpu.workers", $"{title} by reference, workers' CPU seconds per GiB (read, compute)", "s/GiB"), (workers.Sum(ProcCpu.Seconds) - before.Workers) / gib);
        context.Note($"{id}: in process {inProcess:N0} MiB/s, by reference {rate:N0} MiB/s ({rate / inProcess:0.00})");
    }

    /// <summary>
    /// The one-job environment as shipped (<see cref="LocalClusterOptions.OneJobEnvironment"/>), and the same with the
    /// runtime's own tiering (no <c>DOTNET_TC_CallCountThreshold</c>): whether recompiling methods after 30 calls pays in
    /// a process that lives for one job.
    /// </summary>
    private static (string Id, string Title, IReadOnlyDictionary<string, string> Environment)[] EmbeddedVariants()
    {
        var shipped = LocalClusterOptions.OneJobEnvironment;
        var runtimeTiering = shipped.Where(e => e.Key != "DOTNET_TC_CallCountThreshold").ToDictionary(StringComparer.Ordinal);
        return
        [
            ("sha256.embedded", "SHA-256 on a fresh embedded cluster (first job), as shipped:", shipped),
            ("sha256.embedded_runtime_tiering", "SHA-256 on a fresh embedded cluster (first job), the runtime's tiering:", runtimeTiering),
        ];
    }

    /// <summary>The same result: SHA-256's root, or the word count's totals and top words.</summary>
    private static bool SameResult(string inProcess, string cluster)
    {
        using var expected = JsonDocument.Parse(inProcess);
        using var actual = JsonDocument.Parse(cluster);
        return ResultFields.All(name =>
        {
            var found = expected.RootElement.TryGetProperty(name, out var e);
            return found == actual.RootElement.TryGetProperty(name, out var a) && (!found || e.GetRawText() == a.GetRawText());
        });
    }

    private static FigureSpec Figure(string id, string figure, string title, string unit, Goal? goal = null) =>
        new($"byref.{id}.{figure}", "byref", title, unit, goal);
}
