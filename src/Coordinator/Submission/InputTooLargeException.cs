namespace Cluster.Coordinator.Submission;

/// <summary>A job's input passed the coordinator's limit; the client is told ResourceExhausted.</summary>
internal sealed class InputTooLargeException(long limit)
    : Exception($"input exceeds this coordinator's limit of {limit} bytes (Coordinator:MaxInputBytes)");
