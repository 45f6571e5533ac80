using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Scheduling;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Dashboard;

/// <summary>
/// The dashboard's rule for chunks that run far longer than their job's others: a running attempt is long once it has
/// run (since it was assigned) more than <see cref="DashboardOptions.LongChunkMedians"/> times the job's median chunk
/// time and more than <see cref="DashboardOptions.LongChunkMinimum"/>. Before three chunks of the job finished there is
/// no median, and nothing is marked. The page offers each one's stacks (the <c>cluster stack</c> query).
/// </summary>
internal sealed class LongChunks(DispatchLock dispatch, TimeProvider time, IOptions<DashboardOptions> options)
{
    private readonly double _medians = options.Value.LongChunkMedians;
    private readonly TimeSpan _minimum = options.Value.LongChunkMinimum;

    /// <summary>The long attempts of <paramref name="job"/>, longest first; null when it has no median yet.</summary>
    public LongChunksView? Find(Job job)
    {
        var now = time.GetTimestamp();
        lock (dispatch.Gate)
        {
            if (job.Attempts.Durations.MedianMicros is not { } median)
            {
                return null;
            }

            var threshold = TimeSpan.FromTicks(Math.Max(_minimum.Ticks, (long)(median * 10 * _medians)));
            var list = new List<LongChunkView>();
            foreach (var (chunk, attempt) in job.Attempts.AllRunning())
            {
                var running = time.GetElapsedTime(attempt.StartedAt, now);
                if (running > threshold)
                {
                    list.Add(new LongChunkView(chunk, attempt.Attempt, attempt.Holder.Session.WorkerId, attempt.IsBackup, (long)running.TotalMilliseconds));
                }
            }

            list.Sort((a, b) => b.RunningMs.CompareTo(a.RunningMs));
            return new LongChunksView(job.Id, median / 1000.0, (long)threshold.TotalMilliseconds, list);
        }
    }
}

/// <summary>A job's long-running attempts: its median chunk time and the threshold the rule derived from it.</summary>
internal sealed record LongChunksView(string JobId, double MedianMs, long ThresholdMs, IReadOnlyList<LongChunkView> Attempts);

/// <summary>One attempt running past the threshold, for <paramref name="RunningMs"/> since it was assigned.</summary>
internal sealed record LongChunkView(long Chunk, int Attempt, string Worker, bool Backup, long RunningMs);
