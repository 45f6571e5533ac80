using Cluster.Contracts.V1;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Membership;
using Cluster.Coordinator.Scheduling;
using Cluster.Tests.Coordinator.Journal;
using static Cluster.Tests.Coordinator.Journal.JournalTesting;
using JobState = Cluster.Coordinator.Jobs.JobState;

namespace Cluster.Tests.Coordinator.Attempts;

/// <summary>
/// Results a worker finished while the coordinator was down, resent on rejoin stamped with the epoch that assigned
/// them: merged when their chunk is still unmerged, stale otherwise, never merged twice.
/// </summary>
public sealed class ResentResultTests
{
    [Fact]
    public async Task Apply_ResentFromEarlierEpochForUnmergedChunks_MergedAndNeverRunAgain()
    {
        using var dir = new TempDataDir();
        var (after, inFlight, merged) = await RestartWithInFlightAsync(dir, chunks: 48, mergeFirst: 10);
        var job = Job(after, inFlight[0]);
        var worker = after.AddWorker("a", 4);

        after.Answer(worker, [.. inFlight.Select(a => Resent(a, epoch: 1))]);

        Assert.Equal(10 + inFlight.Count, job.ChunksDone);
        Assert.Equal(inFlight.Count, job.Counters.ResentMerged);
        Assert.Equal(0, job.Counters.StaleResults);
        Assert.Contains(job.RecentEvents, e => e.Text == $"{inFlight.Count} results of attempts assigned before the coordinator restarted were resent by worker a and merged");
        var rerun = RunToEnd(after, worker, job.Id);
        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal($"{{\"sum\":{SquaresKind.Expected(48)}}}", job.Output!.SummaryJson);
        Assert.Empty(rerun.Intersect(inFlight.Select(a => a.Chunk)));
        Assert.Empty(rerun.Intersect(merged));
        await CloseAsync(after);
    }

    [Fact]
    public async Task Apply_ResentForChunkMergedBeforeRestart_StaleAndNotMergedTwice()
    {
        using var dir = new TempDataDir();
        var (after, inFlight, merged) = await RestartWithInFlightAsync(dir, chunks: 12, mergeFirst: 4);
        var job = Job(after, inFlight[0]);
        var worker = after.AddWorker("a", 4);
        var kept = merged.First();

        after.Answer(worker, Resent(new Assignment(job, kept, 1), epoch: 1));

        Assert.Equal(4, job.ChunksDone);
        Assert.Equal(1, job.Counters.StaleResults);
        Assert.Equal(0, job.Counters.ResentMerged);
        RunToEnd(after, worker, job.Id);
        Assert.Equal($"{{\"sum\":{SquaresKind.Expected(12)}}}", job.Output!.SummaryJson);
        await CloseAsync(after);
    }

    [Fact]
    public async Task Apply_ResentWhileChunkRunsAgainSinceRestart_ResentWinsNewAttemptCancelledItsResultStale()
    {
        using var dir = new TempDataDir();
        var (after, inFlight, _) = await RestartWithInFlightAsync(dir, chunks: 8, mergeFirst: 2);
        var job = Job(after, inFlight[0]);
        var fresh = after.AddWorker("b", 8);
        var rerunning = after.Take(fresh);
        var again = rerunning.First(a => a.Chunk == inFlight[0].Chunk);
        var old = after.AddWorker("a", 1);

        after.Answer(old, Resent(inFlight[0], epoch: 1));
        after.Answer(fresh, CoordinatorTestHost.Success(again));

        Assert.True(fresh.TryDequeueControl(out var control));
        var cancel = Assert.IsType<CancelAttempts>(control);
        Assert.Equal(new AttemptRef(job.Id, again.Chunk, again.Attempt), Assert.Single(cancel.Attempts));
        Assert.Equal(1, job.Counters.ResentMerged);
        Assert.Equal(1, job.Counters.StaleResults);
        Assert.Equal(3, job.ChunksDone);
        await CloseAsync(after);
    }

    [Fact]
    public async Task Apply_ResentBySameWorkerNowRunningSameChunkAndAttemptNumber_MergedAsResentAndItsNewAttemptCancelled()
    {
        // Attempt numbers start again after a restart: the worker that ran chunk C as attempt 1 before the kill rejoins,
        // is given C again as attempt 1 of this start, and resends its old result. That result must not end the new attempt
        // (which would then run to the end for nothing): it is merged as resent and the new attempt is cancelled.
        using var dir = new TempDataDir();
        var (after, inFlight, _) = await RestartWithInFlightAsync(dir, chunks: 8, mergeFirst: 2);
        var job = Job(after, inFlight[0]);
        var worker = after.AddWorker("a", 16);
        var again = after.Take(worker).Single(a => a.Chunk == inFlight[0].Chunk);
        Assert.Equal(inFlight[0].Attempt, again.Attempt);

        after.Answer(worker, Resent(inFlight[0], epoch: 1));

        Assert.Equal(1, job.Counters.ResentMerged);
        Assert.Equal(3, job.ChunksDone);
        Assert.True(worker.TryDequeueControl(out var control));
        var cancel = Assert.IsType<CancelAttempts>(control);
        Assert.Equal(new AttemptRef(job.Id, again.Chunk, again.Attempt), Assert.Single(cancel.Attempts));
        await CloseAsync(after);
    }

    [Fact]
    public async Task Apply_ResentFailureFromEarlierEpoch_StaleAndChunkRunsAgain()
    {
        using var dir = new TempDataDir();
        var (after, inFlight, _) = await RestartWithInFlightAsync(dir, chunks: 6, mergeFirst: 2);
        var job = Job(after, inFlight[0]);
        var worker = after.AddWorker("a", 8);
        var failure = CoordinatorTestHost.Failure(inFlight[0], "boom");
        failure.AssignedEpoch = 1;

        after.Answer(worker, failure);

        Assert.Equal(1, job.Counters.StaleResults);
        Assert.Equal(0, job.Counters.FailedAttempts);
        Assert.Contains(inFlight[0].Chunk, RunToEnd(after, worker, job.Id));
        Assert.Equal(JobState.Succeeded, job.State);
        await CloseAsync(after);
    }

    [Fact]
    public async Task Apply_ResultStampedWithCurrentEpochNeverAssigned_ForgedNotMerged()
    {
        using var dir = new TempDataDir();
        var (after, inFlight, _) = await RestartWithInFlightAsync(dir, chunks: 6, mergeFirst: 2);
        var job = Job(after, inFlight[0]);
        var worker = after.AddWorker("a", 8);

        var ex = Assert.Throws<Cluster.Coordinator.Limits.WorkerProtocolException>(() => after.Answer(worker, Resent(inFlight[0], epoch: after.Database.Epoch)));

        Assert.True(ex.Forged);
        Assert.Equal(2, job.ChunksDone);
        Assert.Equal(0, job.Counters.ResentMerged);
        await CloseAsync(after);
    }

    [Fact]
    public async Task Apply_ResentForJobFinishedSinceRestart_Stale()
    {
        using var dir = new TempDataDir();
        var (after, inFlight, _) = await RestartWithInFlightAsync(dir, chunks: 6, mergeFirst: 2);
        var job = Job(after, inFlight[0]);
        var worker = after.AddWorker("b", 8);
        RunToEnd(after, worker, job.Id);

        after.Answer(worker, Resent(inFlight[0], epoch: 1));

        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal(1, job.Counters.StaleResults);
        Assert.Equal($"{{\"sum\":{SquaresKind.Expected(6)}}}", job.Output!.SummaryJson);
        await CloseAsync(after);
    }

    /// <summary>
    /// A coordinator (epoch 1) merges <paramref name="mergeFirst"/> chunks of a squares job while worker "a" holds
    /// others in flight, then stops; a second one (epoch 2) recovers the job. Returns it with the attempts in flight.
    /// </summary>
    private static async Task<(CoordinatorTestHost After, List<Assignment> InFlight, HashSet<long> Merged)> RestartWithInFlightAsync(TempDataDir dir, int chunks, int mergeFirst)
    {
        var before = new CoordinatorTestHost(new CoordinatorOptions { DataDir = dir.Path });
        Assert.Equal(1, before.Database.Epoch);
        var worker = before.AddWorker("a", 16);
        await before.SubmitSquaresAsync(chunks);
        var taken = before.Take(worker);
        Assert.True(taken.Count >= mergeFirst + 2, $"took {taken.Count} chunks");

        var merged = taken.Take(mergeFirst).ToList();
        before.Answer(worker, [.. merged.Select(CoordinatorTestHost.Success)]);
        var inFlight = taken.Skip(mergeFirst).ToList();
        await CloseAsync(before);

        var after = new CoordinatorTestHost(new CoordinatorOptions { DataDir = dir.Path });
        Assert.Equal(2, after.Database.Epoch);
        Assert.Equal((0, 1), after.Recovery.Recover());
        var restored = inFlight.Select(a => new Assignment(Job(after, a), a.Chunk, a.Attempt)).ToList();
        return (after, restored, [.. merged.Select(a => a.Chunk)]);
    }

    private static Cluster.Coordinator.Jobs.Job Job(CoordinatorTestHost host, Assignment a) =>
        host.Store.TryGet(a.Job.Id, out var job) ? job : throw new InvalidOperationException($"job {a.Job.Id} was not recovered");

    private static ChunkResult Resent(Assignment a, long epoch)
    {
        var result = CoordinatorTestHost.Success(a);
        result.AssignedEpoch = epoch;
        return result;
    }

    /// <summary>Answers every assignment <paramref name="worker"/> gets until the job ends; returns the chunks it ran.</summary>
    private static List<long> RunToEnd(CoordinatorTestHost host, WorkerSession worker, string jobId)
    {
        Assert.True(host.Store.TryGet(jobId, out var job));
        var ran = new List<long>();
        for (var round = 0; round < 200 && !job.IsFinal; round++)
        {
            var taken = host.Take(worker);
            ran.AddRange(taken.Select(a => a.Chunk));
            host.Answer(worker, [.. taken.Select(CoordinatorTestHost.Success)]);
        }

        return ran;
    }
}
