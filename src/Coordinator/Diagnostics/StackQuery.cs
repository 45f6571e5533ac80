using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Membership;
using Cluster.Coordinator.Scheduling;

namespace Cluster.Coordinator.Diagnostics;

/// <summary>
/// <c>cluster stack</c>: asks every worker holding a running attempt of a job for the stacks of the compute threads
/// that run them, all workers at once, and joins the answers to the attempts the coordinator holds. A worker that does
/// not answer within <see cref="AnswerTimeout"/> (or leaves) is reported as such; the others' stacks still come back.
/// </summary>
internal sealed partial class StackQuery(DispatchLock dispatch, TimeProvider time, ILogger<StackQuery> logger)
{
    /// <summary>How long a worker has to answer: writing and reading its dump takes about a second on a quiet machine.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    private long _lastRequestId;

    /// <summary>The running attempts of <paramref name="job"/> (of one chunk, when given), longest running first.</summary>
    public async Task<IReadOnlyList<AttemptStackInfo>> QueryAsync(Job job, long? chunk, CancellationToken cancellationToken)
    {
        List<(long Chunk, Attempts.RunningAttempt Attempt)> running;
        lock (dispatch.Gate)
        {
            running = [.. job.Attempts.AllRunning().Where(r => chunk is null || r.Chunk == chunk)];
        }

        var asked = running
            .GroupBy(r => r.Attempt.Holder.Session)
            .Select(g => (Session: g.Key, Attempts: g.ToList(), Answer: AskAsync(g.Key, [.. g.Select(r => new AttemptRef(job.Id, r.Chunk, r.Attempt.Attempt))], cancellationToken)))
            .ToList();
        var stacks = new List<AttemptStackInfo>(running.Count);
        foreach (var (session, attempts, answering) in asked)
        {
            var (answer, failure) = await answering.ConfigureAwait(false);
            var byAttempt = answer?.Stacks.ToDictionary(s => (s.Attempt.Chunk, s.Attempt.Attempt)) ?? [];
            foreach (var (c, attempt) in attempts)
            {
                var sinceAssigned = (long)time.GetElapsedTime(attempt.StartedAt).TotalMilliseconds;
                stacks.Add(byAttempt.TryGetValue((c, attempt.Attempt), out var stack)
                    ? new AttemptStackInfo(c, attempt.Attempt, session.WorkerId, stack.RunningMs, "running", stack.Thread, stack.Frames, attempt.IsBackup)
                    : new AttemptStackInfo(c, attempt.Attempt, session.WorkerId, sinceAssigned, failure ?? "queued", string.Empty, [], attempt.IsBackup));
            }
        }

        return [.. stacks.OrderByDescending(s => s.RunningMs).ThenBy(s => s.Chunk)];
    }

    /// <summary>The worker's answer, or why there is none (as the attempt's state).</summary>
    private async Task<(StackAnswer? Answer, string? Failure)> AskAsync(WorkerSession session, IReadOnlyList<AttemptRef> attempts, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _lastRequestId);
        try
        {
            var answer = await session.RequestStacksAsync(id, attempts).WaitAsync(AnswerTimeout, time, cancellationToken).ConfigureAwait(false);
            if (answer.Error.Length > 0)
            {
                LogNoStacks(logger, session.WorkerId, answer.Error);
                return (answer, "no answer: " + answer.Error);
            }

            return (answer, null);
        }
        catch (TimeoutException)
        {
            LogNoStacks(logger, session.WorkerId, "no answer in time");
            return (null, $"no answer: worker {session.WorkerId} did not answer within {AnswerTimeout.TotalSeconds:0} s");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"no answer: worker {session.WorkerId} left before answering");
        }
    }

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "Worker {WorkerId} gave no stacks: {Reason}")]
    private static partial void LogNoStacks(ILogger logger, string workerId, string reason);
}

/// <summary>A running attempt and, when it runs on a compute thread, that thread's stack.</summary>
internal sealed record AttemptStackInfo(long Chunk, int Attempt, string WorkerId, long RunningMs, string State, string Thread, IReadOnlyList<string> Frames, bool Backup);
