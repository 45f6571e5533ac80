namespace Cluster.Coordinator.Limits;

/// <summary>
/// Which attempts each worker id was recently given, so a result can be told apart as stale (an attempt this worker
/// really held, maybe under an earlier session, answered late) or forged (an attempt it was never given). Bounded:
/// per worker id the last <see cref="PerWorker"/> assignments (at least 256 per thread, well above what a worker holds
/// and carries across a reconnect), and the last <see cref="Workers"/> worker ids. An attempt is remembered by a 64-bit
/// hash of its job id, chunk and attempt, so a forgery is missed only by a hash collision, never a stale result taken
/// for one; an assignment evicted long ago is the one way a very late genuine result could be taken for a forgery.
/// Not thread-safe: the attempt ledger uses it under the dispatch lock.
/// </summary>
internal sealed class AssignmentMemory
{
    /// <summary>Assignments remembered per worker id, at the least.</summary>
    public const int PerWorker = 4096;

    /// <summary>Worker ids remembered; the one given work longest ago is forgotten first.</summary>
    public const int Workers = 10_000;

    private readonly Dictionary<string, Recent> _byWorker = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>Remembers that <paramref name="workerId"/> (running <paramref name="threads"/> threads) was given the attempt.</summary>
    public void Record(string workerId, int threads, string jobId, long chunk, int attempt)
    {
        if (!_byWorker.TryGetValue(workerId, out var recent))
        {
            if (_byWorker.Count >= Workers)
            {
                _byWorker.Remove(_byWorker.MinBy(w => w.Value.LastUsed).Key);
            }

            _byWorker[workerId] = recent = new Recent();
        }

        recent.LastUsed = ++_sequence;
        recent.Add(Key(jobId, chunk, attempt), Math.Max(PerWorker, threads * 256));
    }

    /// <summary>Whether <paramref name="workerId"/> was given the attempt (and it is not yet forgotten).</summary>
    public bool WasAssigned(string workerId, string jobId, long chunk, int attempt) =>
        _byWorker.TryGetValue(workerId, out var recent) && recent.Contains(Key(jobId, chunk, attempt));

    private static ulong Key(string jobId, long chunk, int attempt) =>
        ((ulong)(uint)StringComparer.Ordinal.GetHashCode(jobId) << 32) | (uint)HashCode.Combine(chunk, attempt);

    private sealed class Recent
    {
        private readonly HashSet<ulong> _set = [];
        private readonly Queue<ulong> _order = new();

        public long LastUsed { get; set; }

        public void Add(ulong key, int capacity)
        {
            if (!_set.Add(key))
            {
                return;
            }

            _order.Enqueue(key);
            while (_order.Count > capacity)
            {
                _set.Remove(_order.Dequeue());
            }
        }

        public bool Contains(ulong key) => _set.Contains(key);
    }
}
