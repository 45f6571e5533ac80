using Cluster.Coordinator.Membership;

namespace Cluster.Coordinator.Attempts;

/// <summary>
/// The slots of one worker session: how many attempts it holds. Changed only by the <see cref="AttemptLedger"/>, under
/// the dispatch lock; written volatile so a status query elsewhere reads a recent value without that lock.
/// </summary>
internal sealed class SessionSlots(WorkerSession session)
{
    private int _inFlight;

    public WorkerSession Session { get; } = session;

    /// <summary>Attempts sent to the session and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    internal void Take() => Volatile.Write(ref _inFlight, _inFlight + 1);

    internal void Free() => Volatile.Write(ref _inFlight, _inFlight - 1);
}

/// <summary>One running attempt of a chunk: its number, the session holding it, when it started (a TimeProvider timestamp).</summary>
internal readonly record struct RunningAttempt(int Attempt, SessionSlots Holder, long StartedAt, bool IsBackup);
