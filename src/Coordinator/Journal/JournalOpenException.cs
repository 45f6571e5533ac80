namespace Cluster.Coordinator.Journal;

/// <summary>
/// The journal cannot be used (corrupt, torn beyond what SQLite repairs, or written by a newer coordinator); the message
/// is one sentence naming the file and what to do. It is an <see cref="IOException"/>, so the coordinator stops with
/// that sentence and exit code 1 instead of a stack trace.
/// </summary>
internal sealed class JournalOpenException(string message, Exception? inner = null) : IOException(message, inner);
