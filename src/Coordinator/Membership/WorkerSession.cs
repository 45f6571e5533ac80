using System.Collections.Concurrent;
using Cluster.Hosting;

namespace Cluster.Coordinator.Membership;

/// <summary>
/// One connected worker, from its join until its stream ends. The scheduler pulls work for it when it has free
/// slots (the attempt ledger counts them); its send loop (the only writer of its stream) batches that work and any
/// control items queued here.
/// </summary>
internal sealed class WorkerSession : IDisposable
{
    private readonly ConcurrentQueue<SessionControl> _control = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly AsyncSignal _wake = new();
    private readonly HashSet<string> _knownJobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<StackAnswer>> _stackRequests = new();
    private readonly Lock _usageGate = new();
    private long _usageStamp;
    private double _cpuSeconds;
    private double? _cpuPercent;
    private long _workingSetBytes;
    private long _lastSeenTimestamp;
    private long _completed;
    private long _failed;
    private bool _readsLocalFiles;

    public WorkerSession(WorkerJoin join, string sessionId, TimeProvider time)
    {
        WorkerId = join.WorkerId;
        Host = join.Host;
        Pid = join.Pid;
        Threads = join.Threads;
        SessionId = sessionId;
        Time = time;
        JoinedAt = time.GetUtcNow();
        Touch();
    }

    public string WorkerId { get; }

    public string Host { get; }

    public int Pid { get; }

    public int Threads { get; }

    public string SessionId { get; }

    public TimeProvider Time { get; }

    public DateTimeOffset JoinedAt { get; }

    /// <summary>The worker asked to drain: it gets no new work. Set under the dispatch lock.</summary>
    public bool Draining { get; set; }

    /// <summary>The session ended; the scheduler gives it nothing more. Set under the dispatch lock.</summary>
    public bool Closed { get; set; }

    public string? DepartureReason { get; private set; }

    /// <summary>Why the worker said it drains, once it has.</summary>
    public string DrainReason { get; set; } = string.Empty;

    public CancellationToken Lifetime => _lifetime.Token;

    public long Completed => Interlocked.Read(ref _completed);

    public long Failed => Interlocked.Read(ref _failed);

    public DateTimeOffset LastSeen => Time.GetUtcNow() - Silence;

    /// <summary>Time since the last message from the worker.</summary>
    public TimeSpan Silence => Time.GetElapsedTime(Volatile.Read(ref _lastSeenTimestamp));

    /// <summary>
    /// The worker's CPU use between its last two heartbeats that reported it, in percent of one core (a worker keeping
    /// two cores busy shows 200), and its working set in bytes; null and 0 until it reported.
    /// </summary>
    public (double? CpuPercent, long WorkingSetBytes) Usage
    {
        get
        {
            lock (_usageGate)
            {
                return (_cpuPercent, _workingSetBytes);
            }
        }
    }

    /// <summary>A heartbeat reported the worker process's total CPU seconds and working set.</summary>
    public void ReportUsage(double cpuSeconds, long workingSetBytes)
    {
        var now = Time.GetTimestamp();
        lock (_usageGate)
        {
            var wall = _usageStamp == 0 ? 0 : Time.GetElapsedTime(_usageStamp, now).TotalSeconds;
            if (wall > 0 && cpuSeconds >= _cpuSeconds)
            {
                _cpuPercent = (cpuSeconds - _cpuSeconds) / wall * 100;
            }

            _usageStamp = now;
            _cpuSeconds = cpuSeconds;
            _workingSetBytes = workingSetBytes;
        }
    }

    public void Touch() => Volatile.Write(ref _lastSeenTimestamp, Time.GetTimestamp());

    public void CountCompleted(int count) => Interlocked.Add(ref _completed, count);

    public void CountFailed() => Interlocked.Increment(ref _failed);

    /// <summary>Wakes the send loop: there may be work or control messages for it.</summary>
    public void Wake() => _wake.Set();

    public ValueTask WaitForWakeAsync(CancellationToken cancellationToken) => _wake.WaitAsync(cancellationToken);

    public void EnqueueControl(SessionControl control)
    {
        _control.Enqueue(control);
        _wake.Set();
    }

    public bool TryDequeueControl(out SessionControl control) => _control.TryDequeue(out control!);

    /// <summary>
    /// The worker proved it reads this coordinator's files (see <c>LocalReads.LocalReadProbe</c>): uploaded chunks go
    /// to it as spool ranges. False until its answer to the join's probe arrives.
    /// </summary>
    public bool ReadsLocalFiles
    {
        get => Volatile.Read(ref _readsLocalFiles);
        set => Volatile.Write(ref _readsLocalFiles, value);
    }

    /// <summary>Records that the worker was sent a job's definition; returns false if it had been already.</summary>
    public bool MarkJobKnown(string jobId)
    {
        lock (_knownJobs)
        {
            return _knownJobs.Add(jobId);
        }
    }

    /// <summary>Forgets a finished job; returns whether the worker had been told of it.</summary>
    public bool ForgetJob(string jobId)
    {
        lock (_knownJobs)
        {
            return _knownJobs.Remove(jobId);
        }
    }

    /// <summary>Ends the session from the coordinator's side (lease expired, replaced by a rejoin, shutdown).</summary>
    public void Abort(string reason)
    {
        DepartureReason ??= reason;
        EndStackRequests();
        try
        {
            _lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The session already ended and was torn down: there is nothing left to abort.
        }
    }

    /// <summary>
    /// Asks the worker for the stacks of the compute threads running <paramref name="attempts"/>; completes with its
    /// answer, or is cancelled when the session ends first.
    /// </summary>
    public Task<StackAnswer> RequestStacksAsync(long requestId, IReadOnlyList<AttemptRef> attempts)
    {
        var answer = new TaskCompletionSource<StackAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        _stackRequests[requestId] = answer;
        if (Closed || DepartureReason is not null)
        {
            // Ended already (or ending): nobody will send this, nor answer it.
            EndStackRequests();
        }

        EnqueueControl(new RequestStacks(requestId, attempts));
        return answer.Task;
    }

    /// <summary>Hands the worker's answer to the request waiting for it; an answer nobody asked for is dropped.</summary>
    public void OnStacks(StackAnswer answer)
    {
        if (_stackRequests.TryRemove(answer.RequestId, out var waiting))
        {
            waiting.TrySetResult(answer);
        }
    }

    public void SetDepartureReason(string reason) => DepartureReason ??= reason;

    public void Dispose()
    {
        EndStackRequests();
        _lifetime.Dispose();
    }

    /// <summary>The session is over: no answer will come to the stack requests still waiting.</summary>
    private void EndStackRequests()
    {
        foreach (var id in _stackRequests.Keys)
        {
            if (_stackRequests.TryRemove(id, out var waiting))
            {
                waiting.TrySetCanceled();
            }
        }
    }
}
