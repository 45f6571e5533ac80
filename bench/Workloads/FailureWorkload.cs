using System.Diagnostics;
using Cluster.Bench.Infrastructure;
using Cluster.Bench.Measurement;
using Cluster.Client;
using Cluster.Contracts.V1;
using Cluster.Jobs.BuiltIn.Primes;

namespace Cluster.Bench.Workloads;

/// <summary>
/// Failure cost: a primes job of about 10 s of single-thread work on 2 workers x 1 thread, undisturbed and with one
/// worker SIGKILLed once half the chunks are done. Losing a worker halves the capacity for the rest of the job, which
/// no scheduler can avoid; the cost charged to the cluster is the time beyond that (the overhead), set against the work
/// it had to redo (retried attempts x mean chunk time).
/// </summary>
internal sealed class FailureWorkload : IWorkload
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    private static readonly FigureSpec Undisturbed = new("failure.undisturbed", "failure", "Primes on 2 workers x 1 thread, undisturbed", "s");
    private static readonly FigureSpec Disturbed = new("failure.disturbed", "failure", "Same job, one worker SIGKILLed at 50% of chunks", "s");
    private static readonly FigureSpec Extra = new("failure.extra", "failure", "Extra time over the undisturbed run", "s", Signed: true);
    private static readonly FigureSpec Retried = new("failure.retried", "failure", "Retried attempts", "attempts", Signed: true);
    private static readonly FigureSpec Lost = new("failure.lost_work", "failure", "Lost work: retried attempts x mean chunk time", "s", Signed: true);
    private static readonly FigureSpec Overhead = new(
        "failure.overhead", "failure", "Extra time beyond one worker doing the undisturbed second half", "s", Signed: true);
    private static readonly FigureSpec Excess = new(
        "failure.excess", "failure", "Failure cost beyond the lost work (overhead - lost work)", "s", Goal.AtMost(1), Signed: true);

    public string Name => "failure";

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var to = context.Primes.RangeFor(TimeSpan.FromSeconds(context.Settings.Size(10, 2)));
        var expected = PrimeSieve.CountPrimes(0, to);
        context.Note($"primes in [0, {to:N0}) as {PrimeCalibration.Chunks} chunks");
        await using var cluster = await context.StartClusterAsync(2, 1, cancellationToken);
        await cluster.RunAsync(PrimeCalibration.Spec(PrimeCalibration.WarmUpTo), null, cancellationToken);
        foreach (var run in context.Runs)
        {
            var (calm, undisturbed, halfAt) = await RunToHalfAsync(cluster, PrimeCalibration.Spec(to), kill: false, cancellationToken);
            PrimeCalibration.Check(expected, calm);
            var (job, elapsed, killedAt) = await RunToHalfAsync(cluster, PrimeCalibration.Spec(to), kill: true, cancellationToken);
            PrimeCalibration.Check(expected, job);

            // Chunks higher up the range cost more, so the second half is timed rather than assumed: two threads did
            // it in (undisturbed - halfAt); after the kill one thread has it, at half the rate.
            var ideal = killedAt.TotalSeconds + (2 * (undisturbed - halfAt).TotalSeconds);
            var threadSecondsPerChunk = 2 * undisturbed.TotalSeconds / job.ChunksTotal;
            var lost = job.RetriedAttempts * threadSecondsPerChunk;
            var overhead = elapsed.TotalSeconds - ideal;
            context.Results.Add(Undisturbed, undisturbed.TotalSeconds);
            context.Results.Add(Disturbed, elapsed.TotalSeconds);
            context.Results.Add(Extra, elapsed.TotalSeconds - undisturbed.TotalSeconds);
            context.Results.Add(Retried, job.RetriedAttempts);
            context.Results.Add(Lost, lost);
            context.Results.Add(Overhead, overhead);
            context.Results.Add(Excess, overhead - lost);
            context.Note(
                $"run {run}: undisturbed {undisturbed.TotalSeconds:0.00} s (half the chunks at {halfAt.TotalSeconds:0.00} s); killed a worker at {killedAt.TotalSeconds:0.00} s; " +
                $"finished at {elapsed.TotalSeconds:0.00} s (ideal {ideal:0.00} s), {job.RetriedAttempts} retried ({lost:0.00} s of work)");

            // Back to two workers for the next run.
            await cluster.Local.StartWorkerAsync(cancellationToken);
        }
    }

    /// <summary>Runs a job, noting when half its chunks were done and then (with <paramref name="kill"/>) SIGKILLing a worker.</summary>
    private static async Task<(JobInfo Job, TimeSpan Elapsed, TimeSpan HalfAt)> RunToHalfAsync(
        BenchCluster cluster, JobSpec spec, bool kill, CancellationToken cancellationToken)
    {
        var victim = cluster.LiveWorkers[^1];
        var clock = Stopwatch.StartNew();
        var submitted = await cluster.Client.SubmitAsync(spec, cancellationToken: cancellationToken);
        var snapshot = submitted;
        while (snapshot.ChunksTotal == 0 || snapshot.ChunksDone * 2 < snapshot.ChunksTotal)
        {
            if (ClusterClient.IsFinal(snapshot.State))
            {
                throw new InvalidOperationException($"Job {snapshot.JobId} ended ({snapshot.State}) before half its chunks were done.");
            }

            await Task.Delay(PollInterval, cancellationToken);
            snapshot = await cluster.Client.GetJobAsync(submitted.JobId, cancellationToken);
        }

        if (kill)
        {
            victim.Kill();
        }

        var halfAt = clock.Elapsed;
        var final = await cluster.Client.WaitForCompletionAsync(submitted.JobId, cancellationToken: cancellationToken);
        clock.Stop();
        return (BenchCluster.Succeeded(final), clock.Elapsed, halfAt);
    }
}
