using System.Diagnostics.Metrics;
using Cluster.Coordinator.Attempts;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Membership;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Observability;

/// <summary>
/// The instruments read when a scraper asks (observable gauges and counters): workers, threads, jobs and chunks by
/// state, attempt counts, the longest heartbeat silence and the journal's size. Nothing is computed between scrapes,
/// so they cost nothing while no one looks.
/// </summary>
internal sealed class ClusterGauges
{
    private static readonly JobState[] States = Enum.GetValues<JobState>();

    private readonly WorkerRegistry _workers;
    private readonly AttemptLedger _ledger;
    private readonly JobStore _jobs;
    private readonly string _dataDir;

    public ClusterGauges(ChunkMetrics metrics, WorkerRegistry workers, AttemptLedger ledger, JobStore jobs, IOptions<CoordinatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(options);
        _workers = workers;
        _ledger = ledger;
        _jobs = jobs;
        _dataDir = options.Value.DataDir;
        var meter = metrics.Meter;
        meter.CreateObservableGauge("cluster.workers", () => _workers.Connected.Count, "{worker}", "Workers connected.");
        meter.CreateObservableGauge("cluster.worker.threads", Threads, "{thread}", "Compute threads of the connected workers, by state (busy: running or holding a chunk, idle).");
        meter.CreateObservableGauge("cluster.worker.heartbeat.silence", LongestSilence, "s", "The longest time any connected worker has been silent (heartbeat lag); the lease ends a session past it.");
        meter.CreateObservableGauge("cluster.jobs", Jobs, "{job}", "Jobs the coordinator knows, by state.");
        meter.CreateObservableGauge("cluster.chunks", Chunks, "{chunk}", "Chunks of unfinished jobs, by state (queued, running).");
        meter.CreateObservableCounter("cluster.chunks.done", () => Total(t => t.ChunksDone), "{chunk}", "Chunks merged into their job's result.");
        meter.CreateObservableCounter("cluster.chunk.attempts.retried", () => Total(t => t.Retried), "{attempt}", "Attempts after the first of their chunk (after a failure, a loss or a release).");
        meter.CreateObservableCounter("cluster.chunk.attempts.failed", () => Total(t => t.Failed), "{attempt}", "Attempts that threw.");
        meter.CreateObservableCounter("cluster.chunk.attempts.lost", () => Total(t => t.Lost), "{attempt}", "Attempts lost with the worker running them.");
        meter.CreateObservableCounter("cluster.chunk.attempts.stale", () => Total(t => t.Stale), "{attempt}", "Results discarded because their attempt was no longer the one held.");
        meter.CreateObservableCounter("cluster.chunk.attempts.backup", () => Total(t => t.Backups), "{attempt}", "Backup attempts started for straggling chunks.");
        if (_dataDir.Length > 0)
        {
            meter.CreateObservableGauge("cluster.journal.size", JournalBytes, "By", "Bytes of the journal database and its write-ahead log.");
        }
    }

    private IEnumerable<Measurement<int>> Threads()
    {
        int total = 0, busy = 0;
        foreach (var session in _workers.Connected)
        {
            total += session.Threads;
            busy += Math.Min(session.Threads, _ledger.InFlight(session));
        }

        return [new(busy, new KeyValuePair<string, object?>("state", "busy")), new(total - busy, new KeyValuePair<string, object?>("state", "idle"))];
    }

    private double LongestSilence() => _workers.Connected.Select(s => s.Silence.TotalSeconds).DefaultIfEmpty(0).Max();

    private IEnumerable<Measurement<int>> Jobs()
    {
        var counts = new int[States.Length];
        foreach (var job in _jobs.All)
        {
            counts[Array.IndexOf(States, job.State)]++;
        }

        return States.Select((state, i) => new Measurement<int>(counts[i], new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant())));
    }

    private IEnumerable<Measurement<long>> Chunks()
    {
        long queued = 0, running = 0;
        foreach (var job in _jobs.All.Where(j => !j.IsFinal))
        {
            var inFlight = job.Counters.ChunksRunning;
            running += inFlight;
            queued += Math.Max(0, job.ChunkCount - job.ChunksDone - inFlight);
        }

        return [new(queued, new KeyValuePair<string, object?>("state", "queued")), new(running, new KeyValuePair<string, object?>("state", "running"))];
    }

    private long Total(Func<JobTotals, long> field) => field(_jobs.Totals());

    private long JournalBytes() =>
        Directory.Exists(_dataDir)
            ? new DirectoryInfo(_dataDir).EnumerateFiles("journal.db*").Sum(f => f.Length)
            : 0;
}
