using Cluster.Coordinator.Jobs;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Dashboard;

/// <summary>
/// The timelines kept: one per job for the most recently started <see cref="DashboardOptions.TimelineJobs"/> jobs, each
/// of at most <see cref="DashboardOptions.TimelineAttempts"/> attempts. Opening one past the limit drops the oldest, so
/// memory stays bounded however many jobs run or are retained. A timeline records every attempt only while a dashboard
/// stream is open (see <see cref="JobTimeline"/>).
/// </summary>
internal sealed class TimelineBook(TimeProvider time, IOptions<DashboardOptions> options, DashboardStreams streams)
{
    private readonly Lock _gate = new();
    private readonly Queue<Job> _kept = new();

    /// <summary>Gives <paramref name="job"/> a timeline, unless it has one.</summary>
    public void Open(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (options.Value.TimelineJobs == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (job.Timeline is not null)
            {
                return;
            }

            job.Timeline = new JobTimeline(time, options.Value.TimelineAttempts, () => streams.Open > 0);
            _kept.Enqueue(job);
            while (_kept.Count > options.Value.TimelineJobs)
            {
                _kept.Dequeue().Timeline = null;
            }
        }
    }
}
