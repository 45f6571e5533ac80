using System.Runtime.CompilerServices;
using Cluster.Contracts.V1;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Api;

/// <summary>
/// Produces a job's progress events: one at once, then one per progress interval while anything changed, and the
/// final one the moment the job finishes (never waiting out an interval).
/// </summary>
internal sealed class JobWatch(IOptions<CoordinatorOptions> options, TimeProvider time)
{
    private readonly TimeSpan _interval = options.Value.ProgressInterval;

    public async IAsyncEnumerable<JobEvent> WatchAsync(Job job, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lastVersion = job.Version;
        var lastEvent = job.EventCount;
        var first = JobMapping.ToInfo(job);
        var lastState = first.State;
        yield return new JobEvent { Job = first, Message = $"state {lastState}" };
        while (!job.IsFinal)
        {
            using (var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var tick = Task.Delay(_interval, time, delay.Token);
                await Task.WhenAny(job.Completion, tick);
                await delay.CancelAsync();
            }

            cancellationToken.ThrowIfCancellationRequested();
            var version = job.Version;
            if (version == lastVersion && !job.IsFinal)
            {
                continue;
            }

            lastVersion = version;
            var info = JobMapping.ToInfo(job);
            var fresh = job.RecentEvents.Where(e => e.Sequence > lastEvent).ToList();
            lastEvent = fresh.Count > 0 ? fresh[^1].Sequence : lastEvent;
            var stateChange = info.State != lastState ? $"state {info.State}" : string.Empty;
            lastState = info.State;
            foreach (var (_, text) in fresh)
            {
                yield return new JobEvent { Job = info, Message = text };
            }

            // A state change that came with events is told by them (a job's last event says how it ended).
            if (fresh.Count == 0)
            {
                yield return new JobEvent { Job = info, Message = stateChange };
            }
        }
    }
}
