using System.Diagnostics;
using System.Globalization;
using Cluster.Bench.Infrastructure;
using Cluster.Bench.Measurement;
using Cluster.Client;
using Cluster.Contracts.V1;

namespace Cluster.Bench.Workloads;

/// <summary>
/// What a coordinator crash costs with a journal, on real processes: the coordinator (with <c>--data-dir</c>, N finished
/// jobs in its journal and one large noop job running) is SIGKILLed at half the job and started again on the same
/// directory; timed from the kill until it listens again, answers a client, and merges chunks of the job again (its
/// workers rejoined). Then work redone: a chaos job whose every chunk execution leaves a file is killed at half, and
/// the executions beyond one per chunk are counted against the chunks in flight and the chunks the journal had not kept;
/// the same again on a coordinator that commits at most once a second (<c>Coordinator:JournalCommitInterval</c>), to
/// show what that setting trades.
/// </summary>
internal static class DurabilityRestart
{
    private const int Workers = 2;
    private const int Threads = 2;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    private static readonly FigureSpec Listening = new(
        "durability.restart.listening", "durability", "SIGKILL to the restarted coordinator listening (journal read), N finished jobs + one running large job", "s", Goal.Below(2));

    private static readonly FigureSpec Serving = new(
        "durability.restart.serving", "durability", "SIGKILL to the restarted coordinator answering GetJob of the running job", "s");

    private static readonly FigureSpec Resumed = new(
        "durability.restart.resumed", "durability", "SIGKILL to the running job merging chunks again (workers rejoined)", "s");

    private static readonly FigureSpec Redone = new(
        "durability.redone.executions", "durability", "Chunk executions redone after a kill at half a job (chaos, 2 workers x 2 threads)", "chunks", Signed: true);

    private static readonly FigureSpec Bound = new(
        "durability.redone.bound", "durability", "Chunks not kept at the kill: merged as the client last saw minus kept, plus assigned to workers (in flight)", "chunks", Signed: true);

    private static readonly FigureSpec RedoneSecond = new(
        "durability.redone.executions.commit_1s", "durability", "Chunk executions redone after a kill at half a job, the journal committing at most once a second", "chunks", Signed: true);

    private static readonly FigureSpec BoundSecond = new(
        "durability.redone.bound.commit_1s", "durability", "Chunks not kept at the kill, the journal committing at most once a second", "chunks", Signed: true);

    private const string OncePerSecond = "--Coordinator:JournalCommitInterval=00:00:01";

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var finishedJobs = context.Settings.Size(1_000, 50);
        var largeChunks = context.Settings.Size(1_000_000L, 200_000L);
        var chaosChunks = context.Settings.Size(4_000L, 1_000L);
        var root = Path.Combine(Path.GetTempPath(), "cluster-bench-restart-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var cluster = await context.StartClusterAsync(
                Workers, Threads, cancellationToken, ["--data-dir", Path.Combine(root, "data")], [context.Executables.TestKinds]);
            for (var i = 0; i < finishedJobs; i++)
            {
                await cluster.RunAsync(NoopJobs.Spec(1), null, cancellationToken);
            }

            await using var slow = await context.StartClusterAsync(
                Workers, Threads, cancellationToken, ["--data-dir", Path.Combine(root, "data-1s"), OncePerSecond], [context.Executables.TestKinds]);
            foreach (var run in context.Runs)
            {
                await RestartTimeAsync(context, cluster, run, finishedJobs + run - 1, largeChunks, cancellationToken);
                var label = run.ToString(CultureInfo.InvariantCulture);
                await WorkRedoneAsync(context, cluster, (Redone, Bound, $"run {label}"), Path.Combine(root, "executions-" + label), chaosChunks, cancellationToken);
                await WorkRedoneAsync(context, slow, (RedoneSecond, BoundSecond, $"run {label}, commits at most once a second"), Path.Combine(root, "executions-1s-" + label), chaosChunks, cancellationToken);
            }
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static async Task RestartTimeAsync(BenchContext context, BenchCluster cluster, int run, int finished, long chunks, CancellationToken cancellationToken)
    {
        var job = await cluster.Client.SubmitAsync(NoopJobs.Spec(chunks), cancellationToken: cancellationToken);
        var atKill = (await HalfDoneAsync(cluster, job.JobId, cancellationToken)).ChunksDone;
        var clock = Stopwatch.StartNew();
        var listening = await cluster.RestartCoordinatorAsync(cancellationToken);
        var kept = (await cluster.Client.GetJobAsync(job.JobId, cancellationToken)).ChunksDone;
        var serving = clock.Elapsed;
        var snapshot = await cluster.Client.GetJobAsync(job.JobId, cancellationToken);
        while (snapshot.ChunksDone <= kept && !ClusterClient.IsFinal(snapshot.State))
        {
            await Task.Delay(PollInterval, cancellationToken);
            snapshot = await cluster.Client.GetJobAsync(job.JobId, cancellationToken);
        }

        var resumed = clock.Elapsed;
        var final = BenchCluster.Succeeded(await cluster.Client.WaitForCompletionAsync(job.JobId, cancellationToken: cancellationToken));
        if (final.ChunksDone != chunks)
        {
            throw new InvalidOperationException($"Job {job.JobId} merged {final.ChunksDone} chunks, not {chunks}.");
        }

        context.Results.Add(Listening, listening.TotalSeconds);
        context.Results.Add(Serving, serving.TotalSeconds);
        context.Results.Add(Resumed, resumed.TotalSeconds);
        context.Note(
            $"run {run}: {finished:N0} finished jobs + a {chunks:N0}-chunk noop job killed at {atKill:N0} merged: listening again {listening.TotalSeconds:0.000} s after the SIGKILL, " +
            $"answering {serving.TotalSeconds:0.000} s ({kept:N0} chunks kept), merging again {resumed.TotalSeconds:0.000} s");
    }

    private static async Task WorkRedoneAsync(BenchContext context, BenchCluster cluster, (FigureSpec Redone, FigureSpec Bound, string Label) figures, string countDir, long chunks, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(countDir);
        var spec = JobSpecs.Create("chaos", [new("ms", 2L), new("count-dir", countDir)]);
        spec.Chunks = chunks;
        var job = await cluster.Client.SubmitAsync(spec, cancellationToken: cancellationToken);
        var seen = await HalfDoneAsync(cluster, job.JobId, cancellationToken);
        var atKill = seen.ChunksDone;
        await cluster.RestartCoordinatorAsync(cancellationToken);
        var final = BenchCluster.Succeeded(await cluster.Client.WaitForCompletionAsync(job.JobId, cancellationToken: cancellationToken));
        var expected = (chunks - 1) * chunks * ((2 * chunks) - 1) / 6;
        var sum = System.Text.Json.JsonDocument.Parse(final.ResultJson).RootElement.GetProperty("sum").GetInt64();
        if (sum != expected)
        {
            throw new InvalidOperationException($"Job {job.JobId} summed {sum}, not {expected}.");
        }

        var restarted = final.Events.Single(e => e.StartsWith("coordinator restarted: ", StringComparison.Ordinal));
        var kept = long.Parse(restarted.Split(' ')[2], CultureInfo.InvariantCulture);
        var executions = Directory.GetFiles(countDir).Length;
        var redone = executions - chunks;
        var bound = Math.Max(0, atKill - kept) + seen.ChunksRunning;
        context.Results.Add(figures.Redone, redone);
        context.Results.Add(figures.Bound, bound);
        context.Note(
            $"{figures.Label}: chaos {chunks:N0} x 2 ms killed at {atKill:N0} merged: the journal kept {kept:N0}; {redone:N0} executions redone " +
            $"(bound: {Math.Max(0, atKill - kept):N0} merged but not kept + {seen.ChunksRunning:N0} in flight = {bound:N0}; a chunk a worker finished while the coordinator was down and that also ran again after the restart before its resent result won counts as redone)");
    }

    /// <summary>Polls the job until half its chunks are merged; returns the snapshot the client saw then.</summary>
    private static async Task<JobInfo> HalfDoneAsync(BenchCluster cluster, string jobId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var snapshot = await cluster.Client.GetJobAsync(jobId, cancellationToken);
            if (ClusterClient.IsFinal(snapshot.State))
            {
                throw new InvalidOperationException($"Job {jobId} ended ({snapshot.State}) before half its chunks were done.");
            }

            if (snapshot.ChunksTotal > 0 && snapshot.ChunksDone * 2 >= snapshot.ChunksTotal)
            {
                return snapshot;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
