using System.Globalization;
using Cluster.Bench.Infrastructure;
using Cluster.Bench.Measurement;
using Cluster.Bench.Swarm;
using Cluster.Client;
using Cluster.Contracts.V1;

namespace Cluster.Bench.Workloads;

/// <summary>
/// One coordinator process against N simulated workers (N = 10, 100, 1,000) held by this process, each a real worker
/// stream on its own connection (see <see cref="SimWorker"/>). Per N: the join storm, the dispatch rate of a noop job
/// with the coordinator's CPU and peak RSS, fairness over 100 concurrent jobs of fixed-time chunks, heartbeat lag as the
/// coordinator sees it, and workers wrongly declared dead. With 100 workers, a 10,000,000-chunk job's coordinator memory.
/// </summary>
internal sealed class SwarmWorkload : IWorkload
{
    private const int Threads = 1;
    private const int FairnessJobs = 100;
    private const int FairnessChunkMs = 20;
    private const int BigJobWorkers = 100;
    private const long BigJobChunks = 10_000_000;

    // The coordinator's defaults (Coordinator:HeartbeatInterval, Coordinator:Lease), which the bench does not change.
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    public string Name => "swarm";

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        int[] sizes = context.Settings.Size<int[]>([10, 100, 1000], [10, 100]);
        foreach (var run in context.Runs)
        {
            foreach (var workers in sizes)
            {
                await MeasureAsync(context, run, workers, cancellationToken);
            }
        }
    }

    private static async Task MeasureAsync(BenchContext context, int run, int workers, CancellationToken cancellationToken)
    {
        await using var cluster = await context.StartClusterAsync(0, Threads, cancellationToken);
        var coordinator = cluster.Local.Coordinator.Pid;
        var (swarm, joinStorm) = await SimSwarm.JoinAsync(cluster.Local.Address, workers, Threads, cluster.Local.WorkerToken, cluster.Client, cancellationToken);
        await using (swarm)
        {
            context.Results.Add(Spec("join", workers, $"Join storm: {workers:N0} workers joining at once, until the coordinator lists them all", "s", null), joinStorm.TotalSeconds);
            var sampler = new HeartbeatSampler(cluster.Client, HeartbeatInterval);
            using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var samplerTask = sampler.RunAsync(sampling.Token);

            // Warm-up: the coordinator's first job pays its JIT.
            await cluster.RunAsync(NoopJobs.Spec(workers * 1_000L), null, cancellationToken);
            var chunks = context.Settings.Size(1_000_000L, 100_000L);
            ProcMemory.ResetPeak(coordinator);
            var cpuBefore = ProcCpu.Seconds(coordinator);
            var dispatch = await cluster.RunAsync(NoopJobs.Spec(chunks), null, cancellationToken);
            var cpu = ProcCpu.Seconds(coordinator) - cpuBefore;
            Check(dispatch.Job, chunks);
            var rate = chunks / dispatch.Elapsed.TotalSeconds;
            context.Results.Add(Spec("dispatch", workers, $"Dispatch rate, {workers:N0} workers x {Threads} thread, {chunks:N0} noop chunks", "chunks/s", Goal.AtLeast(50_000)), rate);
            context.Results.Add(Spec("cpu", workers, $"Coordinator CPU during that job ({workers:N0} workers)", "cores", null), cpu / dispatch.Elapsed.TotalSeconds);
            context.Results.Add(Spec("cpu_per_chunk", workers, $"Coordinator CPU per chunk ({workers:N0} workers)", "µs", null), cpu / chunks * 1e6);
            context.Results.Add(Spec("rss", workers, $"Coordinator peak RSS during that job ({workers:N0} workers)", "MB", null), ProcMemory.ToMB(ProcMemory.PeakBytes(coordinator)));

            var fairness = await FairnessAsync(context, cluster.Client, workers, cancellationToken);
            context.Results.Add(Spec("fairness", workers, $"Fairness, {FairnessJobs} concurrent jobs of {FairnessChunkMs} ms chunks on {workers:N0} workers (Jain's index at half-way)", "index", Goal.AtLeast(0.9)), fairness);

            var note = string.Empty;
            if (workers == BigJobWorkers && !context.Settings.Quick)
            {
                ProcMemory.ResetPeak(coordinator);
                var big = await cluster.RunAsync(NoopJobs.Spec(BigJobChunks), null, cancellationToken);
                Check(big.Job, BigJobChunks);
                var peak = ProcMemory.ToMB(ProcMemory.PeakBytes(coordinator));
                context.Results.Add(new FigureSpec("swarm.memory.10000000", "swarm", $"Coordinator peak RSS, {BigJobChunks:N0}-chunk noop job on {workers:N0} workers", "MB", Goal.Below(500)), peak);
                note = $"; {BigJobChunks:N0} chunks in {big.Elapsed.TotalSeconds:0.0} s ({BigJobChunks / big.Elapsed.TotalSeconds:N0}/s), coordinator peak {peak:0} MB";
            }

            await sampling.CancelAsync();
            await samplerTask;
            var lag = sampler.P99Ms();
            var maxLag = sampler.MaxMs();
            context.Results.Add(Spec("heartbeat_lag", workers, $"Heartbeat lag p99 as the coordinator sees it ({workers:N0} workers, lease {Lease.TotalSeconds:0} s)", "ms", Goal.Below(Lease.TotalMilliseconds / 4)), lag);
            var timerLate = swarm.TimerLatenessP99Ms();
            context.Results.Add(Spec("timer_lateness", workers, $"Of which the simulator's: its heartbeat timers' lateness p99 ({workers:N0} workers)", "ms", null, signed: true), timerLate);
            context.Results.Add(Spec("heartbeat_lag_max", workers, $"Heartbeat lag, largest sample ({workers:N0} workers)", "ms", null, signed: true), maxLag);

            var departed = (await cluster.Client.ListWorkersAsync(includeDeparted: true, cancellationToken)).Count(w => w.Host == SimSwarm.Host && w.Status == "departed");
            var dead = Math.Max(departed, swarm.Failures.Count);
            context.Results.Add(Spec("dead", workers, $"Workers wrongly declared dead ({workers:N0} workers)", "workers", Goal.AtMost(0), signed: true), dead);
            foreach (var failure in swarm.Failures.Take(5))
            {
                context.Note($"stream ended: {failure}");
            }

            context.Note(string.Create(
                CultureInfo.InvariantCulture,
                $"run {run}, {workers:N0} workers: joined in {joinStorm.TotalSeconds:0.00} s; {chunks:N0} chunks at {rate:N0}/s, coordinator {cpu:0.0} CPU s; fairness {fairness:0.000}; heartbeat lag p99 {lag:0} ms (max {maxLag:0} ms, simulator timers p99 {timerLate:0} ms) over {sampler.Count:N0} samples; {dead} dead{note}"));
        }
    }

    // 100 jobs of fixed-time chunks submitted together; at the half-way point of all their chunks, how evenly the
    // chunks done are spread over the jobs. Each job has 2 chunks per worker thread, so all of them take about 4 s.
    private static async Task<double> FairnessAsync(BenchContext context, ClusterClient client, int workers, CancellationToken cancellationToken)
    {
        var perJob = context.Settings.Size(2L, 1L) * workers * Threads;
        var total = perJob * FairnessJobs;
        // Submitted 8 at a time: a client may have at most 16 submissions under way (Coordinator:Limits:MaxSubmitStreamsPerClient).
        var jobs = new JobInfo[FairnessJobs];
        await Parallel.ForAsync(0, FairnessJobs, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
            jobs[i] = await client.SubmitAsync(SleepSpec(perJob), cancellationToken: ct));
        var ids = jobs.Select(j => j.JobId).ToHashSet(StringComparer.Ordinal);
        double[] shares;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(TimeSpan.FromMinutes(5));
            while (true)
            {
                var listed = (await client.ListJobsAsync(cancellationToken: deadline.Token)).Where(j => ids.Contains(j.JobId)).ToList();
                if (listed.Sum(j => j.ChunksDone) * 2 >= total)
                {
                    shares = [.. listed.Select(j => (double)j.ChunksDone)];
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
            }
        }

        foreach (var job in jobs)
        {
            Check(BenchCluster.Succeeded(await client.WaitForCompletionAsync(job.JobId, cancellationToken: cancellationToken)), perJob);
        }

        return Fairness.JainIndex(shares);
    }

    private static JobSpec SleepSpec(long chunks)
    {
        var spec = JobSpecs.Create("sleep", [new("ms", FairnessChunkMs)]);
        spec.Chunks = chunks;
        return spec;
    }

    private static void Check(JobInfo job, long chunks)
    {
        if (job.ChunksDone != chunks)
        {
            throw new InvalidOperationException($"Job {job.JobId} merged {job.ChunksDone} chunks, not {chunks}.");
        }
    }

    private static FigureSpec Spec(string figure, int workers, string title, string unit, Goal? goal, bool signed = false) =>
        new(string.Create(CultureInfo.InvariantCulture, $"swarm.{figure}.{workers}"), "swarm", title, unit, goal, signed);
}
