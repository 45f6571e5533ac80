using System.Collections.Concurrent;
using Cluster.Coordinator.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Jobs;

/// <summary>
/// Every job the coordinator knows, by id. Finished jobs are kept for status and result queries within the retention
/// limits: at most <see cref="CoordinatorOptions.RetainedJobs"/> of them, none finished longer than
/// <see cref="CoordinatorOptions.RetentionAge"/> ago, and results of at most <see cref="CoordinatorOptions.RetentionBytes"/>
/// in total (the newest finished job is always kept). The oldest finished are forgotten first, with their result file.
/// The limits are enforced whenever a job finishes (and for every restored one at start-up), and once a minute for age.
/// </summary>
internal sealed class JobStore : IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly Queue<Job> _finished = new();
    private readonly Lock _retention = new();
    private readonly TimeProvider _time;
    private readonly int _retained;
    private readonly TimeSpan _maxAge;
    private readonly long _maxBytes;
    private readonly ITimer _sweeper;
    private readonly Lock _forgottenGate = new();
    private long _retainedBytes;
    private JobTotals _forgotten;

    public JobStore(IOptions<CoordinatorOptions> options, TimeProvider time)
    {
        _time = time;
        _retained = options.Value.RetainedJobs;
        _maxAge = options.Value.RetentionAge;
        _maxBytes = options.Value.RetentionBytes;
        _sweeper = time.CreateTimer(static store => ((JobStore)store!).Sweep(), this, SweepInterval, SweepInterval);
    }

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

    /// <summary>Total size of the results of the finished jobs kept.</summary>
    public long RetainedResultBytes
    {
        get
        {
            lock (_retention)
            {
                return _retainedBytes;
            }
        }
    }

    /// <summary>Notes that a job finished (jobs restored at start-up in the order they finished), and applies the limits.</summary>
    public void OnFinished(Job job)
    {
        lock (_retention)
        {
            _finished.Enqueue(job);
            _retainedBytes += job.ResultBytes;
        }

        Sweep();
    }

    /// <summary>Forgets the oldest finished jobs while any retention limit is exceeded.</summary>
    public void Sweep()
    {
        var oldest = _time.GetUtcNow() - _maxAge;
        while (true)
        {
            Job? old;
            lock (_retention)
            {
                if (!_finished.TryPeek(out old)
                    || (_finished.Count <= _retained && (old.FinishedAt is not { } at || at > oldest) && (_retainedBytes <= _maxBytes || _finished.Count == 1)))
                {
                    return;
                }

                _finished.Dequeue();
                _retainedBytes -= old.ResultBytes;
            }

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

    public void Dispose() => _sweeper.Dispose();
}
