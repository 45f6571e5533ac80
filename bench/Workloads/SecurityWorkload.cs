using System.Globalization;
using System.Text.Json;
using Cluster.Bench.Infrastructure;
using Cluster.Bench.Measurement;
using Cluster.Client;
using Cluster.Jobs.BuiltIn.Sha256;
using Cluster.Jobs.InProcess;

namespace Cluster.Bench.Workloads;

/// <summary>
/// Cost of security: the same noop job (dispatch rate) and SHA-256 job (data plane) on clusters of 2 workers x 1
/// thread that differ only in how they are secured: open, with tokens, with tokens and TLS, with tokens and mutual TLS;
/// optionally also the build of another worktree, open (<c>--baseline DIR</c>), for what this build costs over it. All
/// clusters run at once and each run takes the variants in turn (the order rotating from run to run), so a ratio
/// compares figures measured seconds apart on the same machine load.
/// </summary>
internal sealed class SecurityWorkload(string? baseline) : IWorkload
{
    private const int Workers = 2;
    private const int Threads = 1;
    private const string Open = "open";
    private const string WorkerSecret = "bench-worker-secret-0123456789abcdef";
    private const string ClientSecret = "bench-client-secret-0123456789abcdef";

    public string Name => "security";

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var chunks = context.Settings.Size(1_000_000L, 100_000L);
        var bytes = context.Settings.Size(1L << 30, 64L << 20);
        var mib = bytes / (1024.0 * 1024.0);
        var temp = Directory.CreateTempSubdirectory("cluster-bench-security-");
        var clusters = new List<VariantCluster>();
        try
        {
            foreach (var variant in Variants(context.Executables, temp.FullName))
            {
                clusters.Add(await VariantCluster.StartAsync(variant, Workers, Threads, cancellationToken));
                context.Note($"{variant.Name}: cluster of {Workers} workers x {Threads} thread ready");
            }

            var file = Path.Combine(temp.FullName, "input.bin");
            await WriteRandomFileAsync(file, bytes, cancellationToken);
            string root;
            using (var input = new FileJobInput(file))
            {
                root = Root(InProcessJobRunner.Run(new Sha256Kind(), new Dictionary<string, object>(), input, new InProcessRunOptions(), cancellationToken).SummaryJson);
            }

            // Warm-up: JIT, connections and TLS sessions of every variant, on both paths.
            var warmInput = new byte[16 << 20];
            new Random(9).NextBytes(warmInput);
            foreach (var cluster in clusters)
            {
                await cluster.RunAsync(NoopJobs.Spec(10_000), null, cancellationToken);
                await cluster.RunAsync(JobSpecs.Create("sha256"), new MemoryStream(warmInput, writable: false), cancellationToken);
            }

            foreach (var run in context.Runs)
            {
                var order = clusters.Skip((run - 1) % clusters.Count).Concat(clusters.Take((run - 1) % clusters.Count)).ToList();
                var dispatch = new Dictionary<string, double>();
                var dispatchCpu = new Dictionary<string, double>();
                foreach (var cluster in order)
                {
                    var cpuBefore = CpuSeconds(cluster);
                    var (job, elapsed, _) = await cluster.RunAsync(NoopJobs.Spec(chunks), null, cancellationToken);
                    dispatchCpu[cluster.Variant.Name] = (CpuSeconds(cluster) - cpuBefore) / chunks * 1e6;
                    if (job.ChunksDone != chunks)
                    {
                        throw new InvalidOperationException($"{cluster.Variant.Name}: job {job.JobId} merged {job.ChunksDone} chunks, not {chunks}.");
                    }

                    dispatch[cluster.Variant.Name] = chunks / elapsed.TotalSeconds;
                }

                var data = new Dictionary<string, double>();
                var cpu = new Dictionary<string, double>();
                foreach (var cluster in order)
                {
                    var before = CpuSeconds(cluster);
                    await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, ClusterClient.InputPieceBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);
                    var (job, elapsed, _) = await cluster.RunAsync(JobSpecs.Create("sha256"), stream, cancellationToken);
                    if (Root(job.ResultJson) != root)
                    {
                        throw new InvalidOperationException($"{cluster.Variant.Name}: job {job.JobId} computed root {Root(job.ResultJson)}; in process it is {root}.");
                    }

                    data[cluster.Variant.Name] = mib / elapsed.TotalSeconds;
                    cpu[cluster.Variant.Name] = (CpuSeconds(cluster) - before) / (mib / 1024);
                }

                // By reference: the workers read their ranges from the file; only offsets cross the coordinator (the
                // baseline build predates input_url, so it has no figure here).
                var byReference = new Dictionary<string, double>();
                var byReferenceCpu = new Dictionary<string, double>();
                foreach (var cluster in order.Where(c => c.Variant.Name != "baseline"))
                {
                    var before = CpuSeconds(cluster);
                    var spec = JobSpecs.Create("sha256");
                    spec.InputUrl = new Uri(file).AbsoluteUri;
                    var (job, elapsed, _) = await cluster.RunAsync(spec, null, cancellationToken);
                    if (Root(job.ResultJson) != root)
                    {
                        throw new InvalidOperationException($"{cluster.Variant.Name}: job {job.JobId} computed root {Root(job.ResultJson)} by reference; in process it is {root}.");
                    }

                    byReference[cluster.Variant.Name] = mib / elapsed.TotalSeconds;
                    byReferenceCpu[cluster.Variant.Name] = (CpuSeconds(cluster) - before) / (mib / 1024);
                }

                Record(context, run, (dispatch, dispatchCpu), (data, cpu), chunks);
                RecordByReference(context, byReference, byReferenceCpu, data);
            }
        }
        finally
        {
            foreach (var cluster in clusters)
            {
                await cluster.DisposeAsync();
            }

            temp.Delete(recursive: true);
        }
    }

    private void Record(
        BenchContext context,
        int run,
        (Dictionary<string, double> Rate, Dictionary<string, double> Cpu) dispatch,
        (Dictionary<string, double> Rate, Dictionary<string, double> Cpu) data,
        long chunks)
    {
        foreach (var name in dispatch.Rate.Keys)
        {
            context.Results.Add(Figure($"dispatch.{name}", string.Create(CultureInfo.InvariantCulture, $"Dispatch rate, {Describe(name)}, {chunks:N0} chunks"), "chunks/s"), dispatch.Rate[name]);
            context.Results.Add(Figure($"dispatch_cpu.{name}", $"CPU seconds per million chunks, client + coordinator + workers, {Describe(name)}", "s"), dispatch.Cpu[name]);
            context.Results.Add(Figure($"data.{name}", $"SHA-256 through the cluster, {Describe(name)}", "MiB/s"), data.Rate[name]);
            context.Results.Add(Figure($"cpu.{name}", $"CPU seconds per GiB, client + coordinator + workers, {Describe(name)}", "s/GiB"), data.Cpu[name]);
        }

        foreach (var name in dispatch.Rate.Keys.Where(n => n is not Open))
        {
            var label = name == "baseline" ? "open (this build) / baseline build" : name + " / open";
            var (over, under) = name == "baseline" ? (Open, name) : (name, Open);
            context.Results.Add(Figure($"dispatch.ratio.{name}", $"Dispatch rate, {label}", "x", Goal.AtLeast(0.9)), dispatch.Rate[over] / dispatch.Rate[under]);
            context.Results.Add(Figure($"data.ratio.{name}", $"Data plane, {label}", "x", Goal.AtLeast(0.9)), data.Rate[over] / data.Rate[under]);
            context.Results.Add(Figure($"dispatch_cpu.ratio.{name}", $"CPU per chunk, {label}", "x"), dispatch.Cpu[over] / dispatch.Cpu[under]);
            context.Results.Add(Figure($"cpu.ratio.{name}", $"CPU per GiB, {label}", "x"), data.Cpu[over] / data.Cpu[under]);
        }

        context.Note($"run {run}: " + string.Join("; ", dispatch.Rate.Keys.Select(n => string.Create(
            CultureInfo.InvariantCulture,
            $"{n} {dispatch.Rate[n]:N0} chunks/s ({dispatch.Cpu[n]:0.00} CPU s per million), {data.Rate[n]:N0} MiB/s ({data.Cpu[n]:0.00} CPU s/GiB)"))));
    }

    private void RecordByReference(BenchContext context, Dictionary<string, double> rate, Dictionary<string, double> cpu, Dictionary<string, double> uploaded)
    {
        foreach (var name in rate.Keys)
        {
            context.Results.Add(Figure($"byref.{name}", $"SHA-256 by reference (file:// input), {Describe(name)}", "MiB/s"), rate[name]);
            context.Results.Add(Figure($"byref_cpu.{name}", $"CPU seconds per GiB by reference, client + coordinator + workers, {Describe(name)}", "s/GiB"), cpu[name]);
        }

        foreach (var name in rate.Keys.Where(n => n is not Open))
        {
            context.Results.Add(Figure($"byref.ratio.{name}", $"Data by reference, {name} / open by reference", "x", Goal.AtLeast(0.9)), rate[name] / rate[Open]);
            context.Results.Add(Figure($"byref_over_upload.ratio.{name}", $"Data plane, {name} by reference / open uploaded", "x", Goal.AtLeast(0.9)), rate[name] / uploaded[Open]);
        }

        if (uploaded.TryGetValue("baseline", out var baselineRate) && rate.TryGetValue("tls", out var tlsRate))
        {
            context.Results.Add(Figure("byref_over_baseline.ratio.tls", "Data plane, tokens + TLS by reference (this build) / open uploaded (baseline build)", "x", Goal.AtLeast(0.9)), tlsRate / baselineRate);
        }

        context.Note("by reference: " + string.Join("; ", rate.Keys.Select(n => string.Create(
            CultureInfo.InvariantCulture, $"{n} {rate[n]:N0} MiB/s ({cpu[n]:0.00} CPU s/GiB)"))));
    }

    private static double CpuSeconds(VariantCluster cluster) => cluster.Pids.Sum(ProcCpu.Seconds) + ProcCpu.Seconds(Environment.ProcessId);

    private string Describe(string name) => name switch
    {
        Open => "open",
        "tokens" => "tokens",
        "tls" => "tokens + TLS",
        "mtls" => "tokens + mutual TLS",
        _ => "baseline build (" + baseline + "), open",
    };

    private static FigureSpec Figure(string id, string title, string unit, Goal? goal = null) => new("security." + id, "security", title, unit, goal);

    private IEnumerable<ClusterVariant> Variants(Executables executables, string directory)
    {
        var tokens = Path.Combine(directory, "tokens");
        BenchCertificates.Write(tokens, $"bench-workers:worker:{WorkerSecret}\nbench-client:client:{ClientSecret}\n");
        var certificates = BenchCertificates.Create(Directory.CreateDirectory(Path.Combine(directory, "tls")).FullName);
        string[] tls = ["--tls-cert", certificates.ServerCert, "--tls-key", certificates.ServerKey];
        var c = executables.Coordinator;
        var w = executables.Worker;
        yield return new(Open, c, w, [], [], null, null, null);
        yield return new("tokens", c, w, ["--tokens", tokens], [], WorkerSecret, ClientSecret, null);
        yield return new("tls", c, w, ["--tokens", tokens, .. tls], ["--ca", certificates.CaCert], WorkerSecret, ClientSecret, certificates.CaCert);
        yield return new("mtls", c, w, ["--tokens", tokens, .. tls, "--client-ca", certificates.CaCert], ["--ca", certificates.CaCert, "--client-cert", certificates.ClientCert, "--client-key", certificates.ClientKey], WorkerSecret, ClientSecret, certificates.CaCert);
        if (baseline is not null)
        {
            var other = Executables.LocateIn(baseline);
            yield return new("baseline", other.Coordinator, other.Worker, [], [], null, null, null);
        }
    }

    private static async Task WriteRandomFileAsync(string path, long bytes, CancellationToken cancellationToken)
    {
        var random = new Random(8);
        var buffer = new byte[4 << 20];
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, buffer.Length, FileOptions.Asynchronous);
        for (long written = 0; written < bytes; written += buffer.Length)
        {
            random.NextBytes(buffer);
            await file.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, bytes - written)), cancellationToken);
        }
    }

    private static string Root(string summaryJson)
    {
        using var document = JsonDocument.Parse(summaryJson);
        return document.RootElement.GetProperty("root").GetString() ?? string.Empty;
    }
}
