namespace Cluster.Coordinator.Attempts;

/// <summary>How a logged attempt ended (see <see cref="AttemptLog"/>).</summary>
internal enum AttemptOutcome
{
    /// <summary>Its output was merged: a retry or backup that succeeded after its chunk had not succeeded at once.</summary>
    Succeeded,

    /// <summary>It threw.</summary>
    Failed,

    /// <summary>Its worker died or went silent while it ran.</summary>
    Lost,

    /// <summary>Its result came after the attempt had been taken back (lost, beaten, or its job over): discarded.</summary>
    Stale,

    /// <summary>Another attempt of its chunk (a backup, or the first attempt beside a backup) won; it was told to stop.</summary>
    BackupLost,

    /// <summary>Its job ended (failed or cancelled) while it ran.</summary>
    Cancelled,
}

/// <summary>
/// One attempt of a chunk that did not succeed at once. <paramref name="StartedAt"/> is null when the coordinator no
/// longer knew when it started (a stale result of an attempt already taken back).
/// </summary>
internal sealed record AttemptRecord(
    long Chunk,
    int Attempt,
    string WorkerId,
    DateTimeOffset? StartedAt,
    DateTimeOffset EndedAt,
    AttemptOutcome Outcome,
    string Error)
{
    /// <summary>Longest error text kept per attempt; a longer one is cut and ends with "…".</summary>
    public const int MaxErrorLength = 1000;

    /// <summary>The outcome as the API and the CLI spell it: succeeded, failed, lost, stale, backup-lost, cancelled.</summary>
    public string OutcomeName => Name(Outcome);

    public static string Name(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Succeeded => "succeeded",
        AttemptOutcome.Failed => "failed",
        AttemptOutcome.Lost => "lost",
        AttemptOutcome.Stale => "stale",
        AttemptOutcome.BackupLost => "backup-lost",
        _ => "cancelled",
    };

    /// <summary><paramref name="error"/> cut to <see cref="MaxErrorLength"/>.</summary>
    public static string Cut(string error) => error.Length <= MaxErrorLength ? error : string.Concat(error.AsSpan(0, MaxErrorLength - 1), "…");
}
