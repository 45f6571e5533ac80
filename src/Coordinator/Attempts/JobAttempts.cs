using System.Collections;

namespace Cluster.Coordinator.Attempts;

/// <summary>
/// One job's attempts: which run where (a first attempt per running chunk, and a backup beside it for a straggler),
/// which chunks are done (a bit each), and what went wrong with each chunk (failures, losses with a worker).
/// Changed only by the <see cref="AttemptLedger"/>; read by the scheduler for placement and backups. Not
/// thread-safe: used under the dispatch lock.
/// </summary>
internal sealed class JobAttempts(long chunkCount)
{
    private readonly Dictionary<long, RunningAttempt> _first = [];
    private readonly Dictionary<long, RunningAttempt> _backups = [];
    private readonly Dictionary<long, List<(string WorkerId, string Text)>> _failures = [];
    private readonly Dictionary<long, List<string>> _losses = [];
    private readonly BitArray _completed = new(checked((int)chunkCount));

    /// <summary>The first running attempt of each running chunk.</summary>
    public IReadOnlyDictionary<long, RunningAttempt> FirstAttempts => _first;

    /// <summary>Attempts running, first attempts and backups.</summary>
    public int Running => _first.Count + _backups.Count;

    /// <summary>How long this job's accepted attempts took.</summary>
    public AttemptDurations Durations { get; } = new();

    /// <summary>Every running attempt with its chunk, first attempts then backups.</summary>
    public IEnumerable<(long Chunk, RunningAttempt Attempt)> AllRunning() =>
        _first.Select(p => (p.Key, p.Value)).Concat(_backups.Select(p => (p.Key, p.Value)));

    public bool HasBackup(long chunk) => _backups.ContainsKey(chunk);

    public bool IsCompleted(long chunk) => _completed[(int)chunk];

    /// <summary>Whether an attempt of <paramref name="chunk"/> failed on <paramref name="workerId"/>.</summary>
    public bool FailedOn(long chunk, string workerId) =>
        _failures.TryGetValue(chunk, out var failures) && failures.Exists(f => f.WorkerId == workerId);

    internal void Add(long chunk, RunningAttempt attempt) => (attempt.IsBackup ? _backups : _first)[chunk] = attempt;

    /// <summary>
    /// Removes the attempt <paramref name="holder"/> runs of <paramref name="chunk"/>, if it is attempt
    /// <paramref name="attempt"/> (0: whichever); a backup left alone becomes the first attempt. This is the fence:
    /// a result whose attempt and session are not the ones held finds nothing here.
    /// </summary>
    internal bool TryRemove(long chunk, SessionSlots holder, int attempt, out RunningAttempt removed)
    {
        if (_first.TryGetValue(chunk, out removed) && removed.Holder == holder && (attempt == 0 || removed.Attempt == attempt))
        {
            _first.Remove(chunk);
            if (_backups.Remove(chunk, out var backup))
            {
                _first[chunk] = backup;
            }

            return true;
        }

        if (_backups.TryGetValue(chunk, out removed) && removed.Holder == holder && (attempt == 0 || removed.Attempt == attempt))
        {
            _backups.Remove(chunk);
            return true;
        }

        return false;
    }

    /// <summary>Removes any attempt of <paramref name="chunk"/> still running, first attempt before backup.</summary>
    internal bool TryRemoveAny(long chunk, out RunningAttempt removed) =>
        _first.Remove(chunk, out removed) || _backups.Remove(chunk, out removed);

    /// <summary>Any other attempt of <paramref name="chunk"/> still running besides one held by <paramref name="holder"/>.</summary>
    internal bool HasOtherAttempt(long chunk, SessionSlots holder) =>
        (_first.TryGetValue(chunk, out var a) && a.Holder != holder) || (_backups.TryGetValue(chunk, out var b) && b.Holder != holder);

    /// <summary>The highest attempt number <paramref name="chunk"/> has had: <paramref name="atLeast"/> or one still running.</summary>
    internal int LastAttempt(long chunk, int atLeast) =>
        Math.Max(atLeast, Math.Max(_first.TryGetValue(chunk, out var a) ? a.Attempt : 0, _backups.TryGetValue(chunk, out var b) ? b.Attempt : 0));

    /// <summary>Marks <paramref name="chunk"/> done; false if it was already.</summary>
    internal bool TryComplete(long chunk)
    {
        if (_completed[(int)chunk])
        {
            return false;
        }

        _completed[(int)chunk] = true;
        return true;
    }

    /// <summary>Records a failed attempt; returns how many attempts of the chunk failed so far.</summary>
    internal int RecordFailure(long chunk, string workerId, string text) => Append(_failures, chunk, (workerId, text));

    /// <summary>Whether any attempt of <paramref name="chunk"/> failed (cheap when none of the job's did).</summary>
    internal bool HasFailed(long chunk) => _failures.Count > 0 && _failures.ContainsKey(chunk);

    /// <summary>Whether any attempt of <paramref name="chunk"/> failed or was lost (cheap when none of the job's did).</summary>
    internal bool HasFaults(long chunk) => HasFailed(chunk) || (_losses.Count > 0 && _losses.ContainsKey(chunk));

    /// <summary>The workers <paramref name="chunk"/> failed on, each once (failures from before a restart name none).</summary>
    internal IEnumerable<string> FailedWorkers(long chunk) => _failures[chunk].Select(f => f.WorkerId).Where(w => w.Length > 0).Distinct();

    internal string FailureReport(long chunk) => string.Join("\n", _failures[chunk].Select(f => f.Text));

    /// <summary>Records an attempt lost with its worker; returns how many attempts of the chunk were lost so far.</summary>
    internal int RecordLoss(long chunk, string text) => Append(_losses, chunk, text);

    internal string LossReport(long chunk) => string.Join("\n", _losses[chunk]);

    /// <summary>
    /// Start-up: <paramref name="chunk"/> failed <paramref name="failures"/> times and was lost <paramref name="losses"/>
    /// times before the restart, so those count toward the job's limits. Their texts come from the journalled attempt log
    /// (<paramref name="logged"/>); attempts past its bound get a sentence of their own.
    /// </summary>
    internal void RestoreFaults(long chunk, int failures, int losses, IEnumerable<AttemptRecord> logged)
    {
        var ofChunk = logged.Where(e => e.Chunk == chunk).ToList();
        var failed = ofChunk.Where(e => e.Outcome == AttemptOutcome.Failed).Take(failures)
            .Select(e => (e.WorkerId, $"attempt {e.Attempt} on worker {e.WorkerId}: {e.Error}")).ToList();
        while (failed.Count < failures)
        {
            failed.Add((string.Empty, "an attempt that failed before the coordinator restarted"));
        }

        var lost = ofChunk.Where(e => e.Outcome == AttemptOutcome.Lost).Take(losses)
            .Select(e => $"attempt {e.Attempt} on worker {e.WorkerId}: {e.Error}").ToList();
        while (lost.Count < losses)
        {
            lost.Add("an attempt lost before the coordinator restarted");
        }

        if (failed.Count > 0)
        {
            _failures[chunk] = failed;
        }

        if (lost.Count > 0)
        {
            _losses[chunk] = lost;
        }
    }

    /// <summary>The running attempts <paramref name="holder"/> holds (a copy).</summary>
    internal List<(long Chunk, RunningAttempt Attempt)> HeldBy(SessionSlots holder) =>
        [.. _first.Concat(_backups).Where(e => e.Value.Holder == holder).Select(e => (e.Key, e.Value))];

    /// <summary>Removes every running attempt, first attempts before backups.</summary>
    internal List<(long Chunk, RunningAttempt Attempt)> RemoveAll()
    {
        List<(long, RunningAttempt)> all = [.. _first.Concat(_backups).Select(e => (e.Key, e.Value))];
        _first.Clear();
        _backups.Clear();
        return all;
    }

    private static int Append<T>(Dictionary<long, List<T>> byChunk, long chunk, T item)
    {
        if (!byChunk.TryGetValue(chunk, out var list))
        {
            byChunk[chunk] = list = [];
        }

        list.Add(item);
        return list.Count;
    }
}
