using Grpc.Core;

namespace Cluster.Coordinator.Journal;

/// <summary>
/// A client's upload that the coordinator could not write to its own disk (the input spool, the bundle store): the
/// disk is full, or it failed. The message is one sentence naming the field, the folder, the operating system's words
/// and what to do; nothing of the upload is kept.
/// </summary>
internal sealed class StoreWriteException : IOException
{
    // errno values the runtime puts in an IOException's HResult on Unix, and the Windows codes for the same.
    private const int NoSpace = 28;
    private const int QuotaExceeded = 122;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    private StoreWriteException(string field, string sentence, bool outOfSpace, IOException inner)
        : base($"{field}: {sentence}", inner) => (Sentence, OutOfSpace) = (sentence, outOfSpace);

    /// <summary>The message without its field: what failed, where, why, and what to do.</summary>
    public string Sentence { get; }

    /// <summary>True when the disk (or the user's quota) is full; otherwise the write failed for another reason.</summary>
    public bool OutOfSpace { get; }

    /// <summary>The status a caller gets: <see cref="StatusCode.ResourceExhausted"/> for a full disk, else <see cref="StatusCode.Internal"/>.</summary>
    public StatusCode Status => OutOfSpace ? StatusCode.ResourceExhausted : StatusCode.Internal;

    /// <summary>
    /// Wraps <paramref name="ex"/>, thrown while <paramref name="what"/> (sent in <paramref name="field"/>) was written to
    /// <paramref name="directory"/>; <paramref name="retry"/> says what the client does once space is freed.
    /// </summary>
    public static StoreWriteException For(string field, string what, string directory, IOException ex, string retry)
    {
        var full = IsOutOfSpace(ex);
        var why = full ? "its disk is full" : "the write failed";
        return new StoreWriteException(
            field,
            $"the coordinator could not store {what} in {directory}: {why} ({ex.Message.TrimEnd('.')}); {(full ? "free space there" : "check that disk")}, then {retry}.",
            full,
            ex);
    }

    /// <summary>True when <paramref name="ex"/> says the file system has no space (or quota) left.</summary>
    public static bool IsOutOfSpace(IOException ex) =>
        ex.HResult is NoSpace or QuotaExceeded or WindowsDiskFull or WindowsHandleDiskFull;
}
