using System.Diagnostics;
using System.Globalization;
using Cluster.Bench.Infrastructure;
using Cluster.Bench.Measurement;
using Cluster.Bench.Observability;
using Cluster.Bench.Swarm;
using Cluster.Client;
using Cluster.Contracts.V1;

namespace Cluster.Bench.Workloads;

/// <summary>
/// What watching the cluster costs. First, the noop dispatch rate on four clusters of 2 workers x 1 thread, side by
/// side in each run (order rotating): as shipped (the attempt timeline kept, no page open), with a dashboard page open
/// on the job (its event stream with the timeline), with the timeline off, and with tracing exported over OTLP to a
/// receiver in this process. Then the dashboard against 1,000 simulated workers and 100 running jobs: how long the
/// state a page loads takes and how big it is, and what the live stream sends.
/// </summary>
internal sealed class ObservabilityWorkload : IWorkload
{
    private const int Workers = 2;
    private const int Threads = 1;
    private const string Shipped = "shipped";
    private const string PageOpen = "page_open";
    private const string NoTimeline = "timeline_off";
    private const string Traced = "tracing";
    private const int SwarmJobs = 100;
    private const int SwarmChunkMs = 20;

    public string Name => "observe";

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await DispatchCostAsync(context, cancellationToken);
        await DashboardAtScaleAsync(context, cancellationToken);
    }

    private static async Task DispatchCostAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var chunks = context.Settings.Size(300_000L, 50_000L);
        await using var sink = await OtlpSink.StartAsync(cancellationToken);
        await using var shipped = await context.StartClusterAsync(Workers, Threads, cancellationToken);
        await using var noTimeline = await context.StartClusterAsync(Workers, Threads, cancellationToken, ["--Coordinator:Dashboard:TimelineJobs=0"]);
        await using var traced = await context.StartClusterAsync(Workers, Threads, cancellationToken, environment: sink.Environment);
        using var probe = new DashboardProbe(shipped.Local.HttpAddress ?? throw new InvalidOperationException("The coordinator has no HTTP port."), shipped.Local.ClientToken);
        var variants = new (string Name, BenchCluster Cluster, bool Page)[] { (Shipped, shipped, false), (PageOpen, shipped, true), (NoTimeline, noTimeline, false), (Traced, traced, false) };
        foreach (var cluster in new[] { shipped, noTimeline, traced })
        {
            await cluster.RunAsync(NoopJobs.Spec(20_000), null, cancellationToken);
        }

        foreach (var run in context.Runs)
        {
            var order = variants.Skip((run - 1) % variants.Length).Concat(variants.Take((run - 1) % variants.Length));
            var rates = new Dictionary<string, double>(StringComparer.Ordinal);
            var notes = new List<string>();
            foreach (var (name, cluster, page) in order)
            {
                var (job, elapsed, events) = await RunWatchedAsync(cluster, probe, page, chunks, cancellationToken);
                if (job.ChunksDone != chunks)
                {
                    throw new InvalidOperationException($"{name}: job {job.JobId} merged {job.ChunksDone} chunks, not {chunks}.");
                }

                rates[name] = chunks / elapsed.TotalSeconds;
                context.Results.Add(Rate(name, chunks), rates[name]);
                notes.Add(name switch
                {
                    PageOpen => $"{name} {rates[name]:N0}/s ({events!.Events} events, {events.Bytes / 1024.0:N0} KiB streamed)",
                    _ => $"{name} {rates[name]:N0}/s",
                });
            }

            foreach (var name in new[] { PageOpen, NoTimeline, Traced })
            {
                context.Results.Add(Ratio(name), rates[name] / rates[Shipped]);
            }

            context.Note($"run {run}: {chunks:N0} noop chunks: {string.Join(", ", notes)}");
        }

        // The exporter sends a batch every 5 s, so what each job exported is not separable; the total shows tracing worked.
        if (sink.Requests == 0)
        {
            throw new InvalidOperationException("Tracing was on, yet the OTLP receiver got no export: the figure would not measure tracing.");
        }

        context.Note($"tracing: the OTLP receiver got {sink.Requests} exports, {sink.Bytes / 1024.0:N0} KiB of spans");
    }

    // Submits, opens the page on the job when asked (as a browser would once the job shows up), and waits for the result.
    private static async Task<(JobInfo Job, TimeSpan Elapsed, DashboardProbe.StreamCount? Events)> RunWatchedAsync(
        BenchCluster cluster, DashboardProbe probe, bool page, long chunks, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var submitted = await cluster.Client.SubmitAsync(NoopJobs.Spec(chunks), null, cancellationToken);
        using var closePage = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stream = page ? probe.ReadStreamAsync(submitted.JobId, closePage.Token) : null;
        var final = BenchCluster.Succeeded(await cluster.Client.WaitForCompletionAsync(submitted.JobId, cancellationToken: cancellationToken));
        var elapsed = clock.Elapsed;
        await closePage.CancelAsync();
        return (final, elapsed, stream is null ? null : await stream);
    }

    private static async Task DashboardAtScaleAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var workers = context.Settings.Size(1000, 100);
        var jobs = context.Settings.Size(SwarmJobs, 10);
        await using var cluster = await context.StartClusterAsync(0, Threads, cancellationToken);
        var (swarm, _) = await SimSwarm.JoinAsync(cluster.Local.Address, workers, Threads, cluster.Local.WorkerToken, cluster.Client, cancellationToken);
        await using (swarm)
        {
            using var probe = new DashboardProbe(cluster.Local.HttpAddress ?? throw new InvalidOperationException("The coordinator has no HTTP port."), cluster.Local.ClientToken);
            foreach (var run in context.Runs)
            {
                // Each job has 4 chunks per worker thread of 20 ms: all of them run together for about 8 s.
                var perJob = 4L * workers * Threads;
                var submitted = new JobInfo[jobs];
                await Parallel.ForAsync(0, jobs, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
                    submitted[i] = await cluster.Client.SubmitAsync(SleepSpec(perJob), cancellationToken: ct));
                var watched = submitted[^1].JobId;

                using var closePage = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var stream = probe.ReadStreamAsync(watched, closePage.Token);
                var gzipped = probe.ReadStreamAsync(watched, closePage.Token, gzip: true);
                var plain = new List<double>();
                var withTimeline = new List<double>();
                long plainBytes = 0, timelineBytes = 0;
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < 20; i++)
                {
                    var (elapsed, bytes) = await probe.FetchStateAsync(null, cancellationToken);
                    plain.Add(elapsed.TotalMilliseconds);
                    plainBytes = bytes;
                    (elapsed, bytes) = await probe.FetchStateAsync(watched, cancellationToken);
                    withTimeline.Add(elapsed.TotalMilliseconds);
                    timelineBytes = bytes;
                }

                var sampled = clock.Elapsed;
                foreach (var job in submitted)
                {
                    var done = BenchCluster.Succeeded(await cluster.Client.WaitForCompletionAsync(job.JobId, cancellationToken: cancellationToken));
                    if (done.ChunksDone != perJob)
                    {
                        throw new InvalidOperationException($"Job {done.JobId} merged {done.ChunksDone} chunks, not {perJob}.");
                    }
                }

                var streamed = clock.Elapsed;
                await closePage.CancelAsync();
                var events = await stream;
                var compressed = await gzipped;
                context.Results.Add(Scale("state_p50", workers, jobs, "Dashboard state fetch, median", "ms", null), Percentiles.NearestRank(plain, 0.5));
                context.Results.Add(Scale("state_p99", workers, jobs, "Dashboard state fetch, slowest of 20", "ms", Goal.Below(1000)), plain.Max());
                context.Results.Add(Scale("state_kib", workers, jobs, "Dashboard state size", "KiB", null), plainBytes / 1024.0);
                context.Results.Add(Scale("timeline_p50", workers, jobs, "Dashboard state with one job's timeline, median", "ms", null), Percentiles.NearestRank(withTimeline, 0.5));
                context.Results.Add(Scale("timeline_kib", workers, jobs, "Dashboard state with one job's timeline, size", "KiB", null), timelineBytes / 1024.0);
                context.Results.Add(Scale("stream_events", workers, jobs, "Live stream events per second while the jobs ran", "events/s", null), events.Events / streamed.TotalSeconds);
                context.Results.Add(Scale("stream_event_kib", workers, jobs, "Live stream event size (the watched job's timeline included)", "KiB", null), events.Bytes / 1024.0 / Math.Max(1, events.Events));
                context.Results.Add(Scale("stream_event_gzip_kib", workers, jobs, "Live stream event size on the wire to a browser (gzip)", "KiB", null), compressed.WireBytes / 1024.0 / Math.Max(1, compressed.Events));
                context.Note(string.Create(
                    CultureInfo.InvariantCulture,
                    $"run {run}, {workers:N0} workers, {jobs} jobs: 40 state fetches in {sampled.TotalSeconds:0.0} s (median {Percentiles.NearestRank(plain, 0.5):0} ms, {plainBytes / 1024.0:N0} KiB; with a timeline {Percentiles.NearestRank(withTimeline, 0.5):0} ms, {timelineBytes / 1024.0:N0} KiB); stream {events.Events} events, {events.Bytes / 1024.0:N0} KiB in {streamed.TotalSeconds:0.0} s; gzip to a browser {compressed.Events} events, {compressed.WireBytes / 1024.0:N0} KiB on the wire"));
            }
        }
    }

    private static JobSpec SleepSpec(long chunks)
    {
        var spec = JobSpecs.Create("sleep", [new("ms", SwarmChunkMs)]);
        spec.Chunks = chunks;
        return spec;
    }

    private static string Label(string name) => name switch
    {
        PageOpen => "a dashboard page open on the job",
        NoTimeline => "the attempt timeline off (Coordinator:Dashboard:TimelineJobs=0)",
        Traced => "tracing exported over OTLP",
        _ => "as shipped (timeline kept, no page open, no tracing)",
    };

    private static FigureSpec Rate(string name, long chunks) => new(
        string.Create(CultureInfo.InvariantCulture, $"observe.{name}.{chunks}"), "observe", $"Dispatch rate, {Label(name)}, {chunks:N0} noop chunks", "chunks/s");

    private static FigureSpec Ratio(string name) => new(
        $"observe.ratio.{name}", "observe", $"Dispatch rate with {Label(name)} / as shipped", "x", name == NoTimeline ? null : Goal.AtLeast(0.9));

    private static FigureSpec Scale(string figure, int workers, int jobs, string title, string unit, Goal? goal) => new(
        string.Create(CultureInfo.InvariantCulture, $"observe.{figure}.{workers}"), "observe", string.Create(CultureInfo.InvariantCulture, $"{title} ({workers:N0} workers, {jobs} running jobs)"), unit, goal);
}
