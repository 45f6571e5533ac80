using Cluster.Coordinator.Attempts;
using Cluster.Coordinator.Dashboard;
using Cluster.Coordinator.Journal;
using Cluster.Coordinator.Scheduling;
using Cluster.Jobs;

namespace Cluster.Coordinator.Jobs;

/// <summary>
/// One submitted job: what to run, how it is split, its merged progress and its outcome, and each stage's state of
/// it: <see cref="Queue"/> (the chunks waiting, the scheduler's) and <see cref="Attempts"/> (the attempt ledger's),
/// both used under the dispatch lock only. <see cref="Counters"/> are written under that lock and safe to read anywhere.
/// </summary>
internal sealed class Job
{
    private const int MaxEvents = 50;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _mergeLock = new();
    private readonly Lock _finishLock = new();
    private IJobMerger _merger;
    private IJobKind _kind;
    private IJobPlan _plan;
    private long _merged;
    private int _state = (int)JobState.Pending;
    private readonly Queue<(int Sequence, string Text)> _events = new();
    private int _eventCount;
    private int _version;
    private long? _resultBytes;
    private JobTimeline? _timeline;

    public Job(
        string id,
        IJobKind kind,
        string name,
        IReadOnlyDictionary<string, object> parameters,
        IJobPlan plan,
        IDisposable? input,
        long inputBytes,
        int maxAttempts,
        DateTimeOffset submittedAt)
    {
        Id = id;
        _kind = kind;
        KindName = kind.Name;
        AllowsBackupAttempts = kind.AllowsBackupAttempts;
        Name = name;
        Parameters = parameters;
        _plan = plan;
        ChunkCount = plan.ChunkCount;
        Input = input;
        InputBytes = inputBytes;
        MaxAttempts = maxAttempts;
        SubmittedAt = submittedAt;
        _merger = plan.CreateMerger();
        Queue = new ChunkQueue(plan.ChunkCount);
        Attempts = new JobAttempts(plan.ChunkCount);
    }

    public string Id { get; }

    /// <summary>The kind; for a job from a bundle, a stand-in once the job finished (see <see cref="Bundle"/>).</summary>
    public IJobKind Kind => _kind;

    public string KindName { get; }

    public bool AllowsBackupAttempts { get; }

    public long ChunkCount { get; private init; }

    /// <summary>The bundle holding the kind (its SHA-256), or empty for a kind the coordinator knows.</summary>
    public string BundleId { get; init; } = string.Empty;

    /// <summary>
    /// The job's use of its bundle's load context, or null. Finishing ends it and drops the job's references to the
    /// bundle's kind, plan and merger, so a finished job kept for status queries does not keep the bundle loaded.
    /// </summary>
    public IDisposable? Bundle { get; init; }

    /// <summary>The journal that records the job's changes (a no-op one without a data directory), or null in tests.</summary>
    public JobJournal? Journal { get; init; }

    /// <summary>The name the client gave the job (may be empty).</summary>
    public string Name { get; }

    /// <summary>Name of the token that submitted the job; empty when the coordinator has no tokens (anonymous callers).</summary>
    public string Owner { get; init; } = string.Empty;

    /// <summary>Parameter values as the client sent them (long, double, string or bool); workers bind them again against their copy of the kind.</summary>
    public IReadOnlyDictionary<string, object> Parameters { get; }

    public IJobPlan Plan => Volatile.Read(ref _plan);

    public IDisposable? Input { get; }

    /// <summary>The input by reference (<c>JobSpec.input_url</c>) the workers open themselves; empty when uploaded or none.</summary>
    public string InputUrl { get; init; } = string.Empty;

    /// <summary>The entity tag of an HTTP(S) <see cref="InputUrl"/> at submission, which workers check on every range read; empty otherwise.</summary>
    public string InputETag { get; init; } = string.Empty;

    public long InputBytes { get; }

    public int MaxAttempts { get; }

    public DateTimeOffset SubmittedAt { get; }

    public ChunkQueue Queue { get; }

    public JobAttempts Attempts { get; }

    public JobCounters Counters { get; } = new();

    /// <summary>Every attempt of every chunk that did not succeed at once, bounded (see <see cref="Attempts.AttemptLog"/>).</summary>
    public AttemptLog AttemptLog { get; } = new();

    /// <summary>The job's attempts for the dashboard while the <see cref="TimelineBook"/> keeps them, else null.</summary>
    public JobTimeline? Timeline
    {
        get => Volatile.Read(ref _timeline);
        set => Volatile.Write(ref _timeline, value);
    }

    public JobState State => (JobState)Volatile.Read(ref _state);

    public bool IsFinal => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;

    public long ChunksDone => Interlocked.Read(ref _merged);

    /// <summary>Total events recorded so far (more than <see cref="RecentEvents"/> keeps).</summary>
    public int EventCount
    {
        get
        {
            lock (_events)
            {
                return _eventCount;
            }
        }
    }

    /// <summary>The latest events, oldest first, with their sequence numbers.</summary>
    public IReadOnlyList<(int Sequence, string Text)> RecentEvents
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public string Error { get; private set; } = string.Empty;

    public JobOutput? Output { get; private set; }

    /// <summary>
    /// The file holding the result when the coordinator has a data directory (its <see cref="Output"/> then has the summary
    /// only: the data is on disk, not in memory), or null.
    /// </summary>
    public string? ResultFile { get; private set; }

    /// <summary>Size of the result data, in memory or in <see cref="ResultFile"/>.</summary>
    public long ResultBytes => _resultBytes ?? Output?.Data.Length ?? 0;

    /// <summary>Completes when the job reaches a final state.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Changes whenever a watcher would see something new.</summary>
    public int Version => Volatile.Read(ref _version);

    public void MarkStarted(DateTimeOffset now)
    {
        if (Interlocked.CompareExchange(ref _state, (int)JobState.Running, (int)JobState.Pending) == (int)JobState.Pending)
        {
            StartedAt = now;
            Journal?.Started(this, now);
            Touch();
        }
    }

    public void Touch() => Interlocked.Increment(ref _version);

    /// <summary>Records something a user watching the job should hear of (a lost worker, a retry, a backup).</summary>
    public void AddEvent(string text)
    {
        lock (_events)
        {
            _events.Enqueue((++_eventCount, text));
            Journal?.Event(this, _eventCount, text);
            if (_events.Count > MaxEvents)
            {
                _events.Dequeue();
            }
        }

        Touch();
    }

    /// <summary>Folds one chunk's output in; the caller guarantees each chunk comes here once.</summary>
    /// <returns><see langword="true"/> when this was the last chunk.</returns>
    public bool Merge(long chunkIndex, ReadOnlySpan<byte> output)
    {
        lock (_mergeLock)
        {
            if (IsFinal)
            {
                return false;
            }

            _merger.Merge(chunkIndex, output);
            Journal?.Merged(this, chunkIndex, output);
            var merged = Interlocked.Increment(ref _merged);
            Touch();
            return merged == ChunkCount;
        }
    }

    /// <summary>
    /// Start-up recovery: folds in a chunk's output that the journal holds and marks the chunk done, without journalling
    /// it again. Ignored for a chunk already done. Before the job is shared with any other thread.
    /// </summary>
    public void Replay(long chunkIndex, ReadOnlySpan<byte> output)
    {
        if (Attempts.TryComplete(chunkIndex))
        {
            _merger.Merge(chunkIndex, output);
            _merged++;
        }
    }

    /// <summary>Start-up recovery: the events the journal kept, oldest first.</summary>
    public void RestoreEvents(IReadOnlyList<(int Sequence, string Text)> events)
    {
        lock (_events)
        {
            foreach (var e in events.TakeLast(MaxEvents))
            {
                _events.Enqueue(e);
            }

            _eventCount = events.Count == 0 ? 0 : events[^1].Sequence;
        }
    }

    /// <summary>Start-up recovery: the job had started before the coordinator stopped.</summary>
    public void RestoreStarted(DateTimeOffset startedAt)
    {
        StartedAt = startedAt;
        _state = (int)JobState.Running;
    }

    /// <summary>Start-up recovery of a finished job: its outcome, with a result kept in <paramref name="resultFile"/>.</summary>
    public void RestoreOutcome(JobState state, string error, DateTimeOffset? startedAt, DateTimeOffset? finishedAt, string? summary, string? contentType, long resultBytes, string resultFile)
    {
        Error = error;
        StartedAt = startedAt;
        FinishedAt = finishedAt;
        if (state == JobState.Succeeded)
        {
            Output = new JobOutput(summary ?? "{}", ReadOnlyMemory<byte>.Empty, contentType ?? "application/octet-stream");
            ResultFile = resultFile;
            _resultBytes = resultBytes;
            _merged = ChunkCount;
        }

        _state = (int)state;
        _completion.TrySetResult();
    }

    /// <summary>
    /// A job as the journal holds it, before it is finished or planned again: its kind, plan and merger are stand-ins
    /// (no per-chunk state is allocated, whatever its chunk count).
    /// </summary>
    public static Job Restored(string id, JournalSpec spec, long chunkCount, long inputBytes, DateTimeOffset submittedAt, JobJournal journal)
    {
        var standIn = new FinishedJob(spec.Kind, chunkCount: 0);
        return new Job(id, standIn, spec.Name, spec.Parameters, standIn, null, inputBytes, spec.MaxAttempts, submittedAt)
        {
            ChunkCount = chunkCount,
            Owner = spec.Owner,
            BundleId = spec.BundleId,
            Journal = journal,
        };
    }

    /// <summary>Produces the result after the last merge.</summary>
    public JobOutput CompleteMerge()
    {
        lock (_mergeLock)
        {
            return _merger.Complete();
        }
    }

    /// <summary>Moves the job to a final state; the first caller wins, later ones are ignored.</summary>
    /// <remarks>
    /// The outcome (error, output, time, last event) is written before the state is published, so whoever reads a final
    /// <see cref="State"/> first also sees the outcome; watchers woken by <see cref="Completion"/> see the last event too.
    /// With <paramref name="resultFile"/>, the result's <paramref name="resultBytes"/> are in that file, not in
    /// <paramref name="output"/>.
    /// </remarks>
    public bool TryFinish(JobState state, string error, JobOutput? output, DateTimeOffset now, string? resultFile = null, long resultBytes = 0)
    {
        lock (_finishLock)
        {
            if (IsFinal)
            {
                return false;
            }

            Error = error;
            Output = output;
            if (resultFile is not null)
            {
                ResultFile = resultFile;
                _resultBytes = resultBytes;
            }

            FinishedAt = now;
            StartedAt ??= now;
            AddEvent(state == JobState.Succeeded ? "succeeded" : $"{state.ToString().ToLowerInvariant()}: {error.Split('\n', 2)[0]}");
            Volatile.Write(ref _state, (int)state);
        }

        Journal?.Finished(this);
        Input?.Dispose();
        ReleaseBundle();
        Touch();
        _completion.TrySetResult();
        return true;
    }

    private void ReleaseBundle()
    {
        if (Bundle is null)
        {
            return;
        }

        lock (_mergeLock)
        {
            _merger = FinishedJob.Instance;
        }

        Volatile.Write(ref _plan, FinishedJob.Instance);
        _kind = FinishedJob.Instance;
        Bundle.Dispose();
    }

    /// <summary>What a finished job from a bundle holds instead of the bundle's kind, plan and merger.</summary>
    private sealed class FinishedJob(string name, long chunkCount) : IJobKind, IJobPlan, IJobMerger
    {
        public static readonly FinishedJob Instance = new("finished", 1);

        public string Name => name;

        public string Description => "A finished job's released kind.";

        public IReadOnlyList<ParameterSpec> Parameters => [];

        public long ChunkCount => chunkCount;

        public IJobPlan Plan(JobPlanContext context) => throw Finished();

        public IChunkExecutor CreateExecutor(JobParameters parameters) => throw Finished();

        public void WritePayload(long chunkIndex, System.Buffers.IBufferWriter<byte> writer) => throw Finished();

        public IJobMerger CreateMerger() => this;

        public void Merge(long chunkIndex, ReadOnlySpan<byte> output) => throw Finished();

        public JobOutput Complete() => throw Finished();

        private static InvalidOperationException Finished() => new("The job has finished; its bundle was released.");
    }
}
