using Cluster.Coordinator.Jobs;

namespace Cluster.Coordinator.Journal;

/// <summary>One change to write to the journal; the writer applies a batch of them in one transaction.</summary>
internal abstract record JournalRecord
{
    public sealed record Accepted(Job Job, JournalSpec Spec) : JournalRecord;

    public sealed record Started(string JobId, DateTimeOffset At) : JournalRecord;

    public sealed record Event(string JobId, int Sequence, string Text) : JournalRecord;

    /// <summary>A chunk's output as merged, copied out of its message; rows keep merge order.</summary>
    public sealed record Merged(string JobId, long Chunk, byte[] Output) : JournalRecord;

    /// <summary>
    /// An attempt went into the job's attempt log (<paramref name="Kept"/>: within its bound, so it gets a row), with
    /// the job's counters as they stand; a failure or a loss also counts toward its chunk's limits after a restart.
    /// </summary>
    public sealed record Attempt(string JobId, Attempts.AttemptRecord Entry, bool Kept, JournalCounts Counts) : JournalRecord;

    /// <summary>The job reached its final state; its result goes to a file, its chunk records are compacted away.</summary>
    public sealed record Finished(Job Job) : JournalRecord;

    /// <summary>The job left the retention window: its row and result file are removed.</summary>
    public sealed record Forgotten(string JobId) : JournalRecord;

    /// <summary>A job the journal already holds, restored at start-up under its row number.</summary>
    public sealed record Restored(string JobId, long Seq, bool IsFinal) : JournalRecord;

    /// <summary>Completes once every record before it is committed.</summary>
    public sealed record Flush(TaskCompletionSource Done) : JournalRecord;
}
