using Cluster.Contracts.V1;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Membership;
using Cluster.Coordinator.Scheduling;

namespace Cluster.Tests.Coordinator.Attempts;

/// <summary>
/// Only the attempt ledger changes slot and running counts; that cannot be tested directly, so its consequences are:
/// after any sequence of takes, answers (successes, failures, releases, duplicates, stale ones), backups, departures
/// and cancels, a session's in-flight count equals the attempts it holds and a job's running count equals its
/// running attempts.
/// </summary>
public sealed class LedgerInvariantTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task AnySequence_CountsMatchTheAttemptsHeld(int seed)
    {
        var random = new Random(seed);
        var host = new CoordinatorTestHost(new CoordinatorOptions
        {
            InFlightPerThread = 2,
            MaxAttempts = 4,
            BackupMinimumRunTime = TimeSpan.FromMilliseconds(1),
        });
        var sessions = new List<WorkerSession> { host.AddWorker("w0", 2), host.AddWorker("w1", 1) };
        var held = new List<(WorkerSession Session, Assignment Assignment)>();
        var jobs = new List<Job> { await host.SubmitSquaresAsync(60), await host.SubmitSquaresAsync(30) };
        for (var step = 0; step < 400; step++)
        {
            var session = sessions[random.Next(sessions.Count)];
            switch (random.Next(10))
            {
                case < 4:
                    held.AddRange(host.Take(session).Select(a => (session, a)));
                    break;
                case < 8:
                    Answer(host, random, held);
                    break;
                case 8:
                    host.Time.Advance(TimeSpan.FromMilliseconds(random.Next(1, 20)));
                    break;
                default:
                    await Disturb(host, random, sessions, jobs, step);
                    break;
            }

            AssertCountsMatch(host, sessions, jobs);
        }

        // The sequence reached the paths that change counts other than the plain one.
        Assert.All(new[] { jobs.Sum(j => j.Counters.FailedAttempts), jobs.Sum(j => j.Counters.LostAttempts), jobs.Sum(j => j.Counters.StaleResults) }, n => Assert.True(n > 0));
    }

    private static void Answer(CoordinatorTestHost host, Random random, List<(WorkerSession Session, Assignment Assignment)> held)
    {
        if (held.Count == 0)
        {
            return;
        }

        // A batch from one session, sometimes with a result it already sent (then stale).
        var session = held[random.Next(held.Count)].Session;
        var mine = held.Where(h => h.Session == session).Take(random.Next(1, 6)).ToList();
        var results = mine.Select(h => random.Next(10) switch
        {
            < 7 => CoordinatorTestHost.SuccessAfter(h.Assignment, elapsedUs: random.Next(100, 5000)),
            < 9 => CoordinatorTestHost.Failure(h.Assignment, "boom"),
            _ => new ChunkResult { JobId = h.Assignment.Job.Id, ChunkIndex = h.Assignment.Chunk, Attempt = h.Assignment.Attempt, Released = true },
        }).ToList();
        if (random.Next(5) == 0)
        {
            results.Add(results[0]);
        }

        host.Answer(session, [.. results]);
        held.RemoveAll(h => h.Session == session && mine.Contains(h) && random.Next(4) > 0);
    }

    private static async Task Disturb(CoordinatorTestHost host, Random random, List<WorkerSession> sessions, List<Job> jobs, int step)
    {
        switch (random.Next(3))
        {
            case 0 when sessions.Count > 1:
                var leaving = sessions[random.Next(sessions.Count)];
                leaving.Abort("test");
                host.Departure.Leave(leaving);
                sessions.Remove(leaving);
                sessions.Add(host.AddWorker($"w{step}", random.Next(1, 4)));
                break;
            case 1:
                host.Finisher.Cancel(jobs[random.Next(jobs.Count)], "test");
                break;
            default:
                jobs.Add(await host.SubmitSquaresAsync(random.Next(1, 40), maxAttempts: random.Next(1, 4)));
                break;
        }
    }

    private static void AssertCountsMatch(CoordinatorTestHost host, List<WorkerSession> sessions, List<Job> jobs)
    {
        foreach (var session in sessions)
        {
            Assert.Equal(host.Ledger.CountHeldBy(session), host.Ledger.InFlight(session));
        }

        foreach (var job in jobs)
        {
            Assert.Equal(job.Attempts.Running, job.Counters.ChunksRunning);
        }

        Assert.Equal(sessions.Sum(host.Ledger.InFlight), jobs.Sum(j => j.Counters.ChunksRunning));
    }
}
