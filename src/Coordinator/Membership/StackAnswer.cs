namespace Cluster.Coordinator.Membership;

/// <summary>A worker's answer to a stack request: the stacks of the compute threads running the attempts asked about, or why it has none.</summary>
/// <param name="RequestId">The request answered.</param>
/// <param name="Stacks">One per asked attempt that was running on a compute thread.</param>
/// <param name="Error">Why the worker could take no stacks; empty when it could.</param>
internal sealed record StackAnswer(long RequestId, IReadOnlyList<ThreadStackInfo> Stacks, string Error);

/// <summary>The stack of the compute thread running <paramref name="Attempt"/>.</summary>
/// <param name="Attempt">The attempt.</param>
/// <param name="Thread">The compute thread's name.</param>
/// <param name="RunningMs">How long the attempt has run on that thread, as the worker measured it.</param>
/// <param name="Frames">Managed frames, innermost first.</param>
internal sealed record ThreadStackInfo(AttemptRef Attempt, string Thread, long RunningMs, IReadOnlyList<string> Frames);
