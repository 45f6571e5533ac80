using System.Collections.Concurrent;
using Cluster.Coordinator.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Jobs;

/// <summary>Every job the coordinator knows, by id; finished jobs beyond the retention limit are forgotten, oldest first.</summary>
internal sealed class JobStore(IOptions<CoordinatorOptions> options)
{
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Job> _finished = new();
    private readonly int _retained = options.Value.RetainedJobs;
    private readonly Lock _forgottenGate = new();
    private JobTotals _forgotten;

    public void Add(Job job) => _jobs[job.Id] = job;

    /// <summary>Every job known now, in no order.</summary>
    public IEnumerable<Job> All => _jobs.Values;

    /// <summary>
    /// Counts over every job this coordinator has run, including those already forgotten, so that a counter built on
    /// them never goes down when the retention limit drops a job.
    /// </summary>
    public JobTotals Totals()
    {
        lock (_forgottenGate)
        {
            var totals = _forgotten;
            foreach (var job in _jobs.Values)
            {
                totals += JobTotals.Of(job);
            }

            return totals;
        }
    }

    public bool TryGet(string id, out Job job) => _jobs.TryGetValue(id, out job!);

    /// <summary>Jobs newest first.</summary>
    public IReadOnlyList<Job> List(int limit, Func<Job, bool>? filter = null) =>
        [.. _jobs.Values.Where(filter ?? (_ => true)).OrderByDescending(j => j.SubmittedAt).ThenBy(j => j.Id, StringComparer.Ordinal).Take(limit)];

    /// <summary>Notes that a job finished, and forgets the oldest finished ones past the retention limit.</summary>
    public void OnFinished(Job job)
    {
        _finished.Enqueue(job);
        while (_finished.Count > _retained && _finished.TryDequeue(out var old))
        {
            lock (_forgottenGate)
            {
                if (_jobs.TryRemove(old.Id, out _))
                {
                    _forgotten += JobTotals.Of(old);
                }
            }

            old.Journal?.Forgotten(old);
        }
    }
}
