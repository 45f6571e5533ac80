using System.Runtime.CompilerServices;
using Cluster.Contracts.V1;
using Cluster.Coordinator.Attempts;
using Cluster.Coordinator.Limits;
using Cluster.Coordinator.Membership;
using Grpc.Core;

namespace Cluster.Coordinator.Api;

/// <summary>A worker's messages as its session sees them: results mapped to domain outcomes, drains, proof of life.</summary>
internal static class WorkerMessages
{
    /// <summary>
    /// Reads the worker's messages after its join. A batch's outcomes are mapped in a loop into one buffer reused
    /// for the whole stream, valid until the next message is read, so reading allocates nothing per result.
    /// </summary>
    public static async IAsyncEnumerable<WorkerInput> ReadAsync(
        IAsyncStreamReader<WorkerMessage> stream,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var outcomes = new ChunkOutcome[64];
        while (await stream.MoveNext(cancellationToken))
        {
            var message = stream.Current;
            switch (message.PayloadCase)
            {
                case WorkerMessage.PayloadOneofCase.Join:
                    throw new WorkerProtocolException("join: sent twice on one stream; a session has exactly one join, its first message");
                case WorkerMessage.PayloadOneofCase.Results:
                    if (InputRules.Check(message.Results) is { } error)
                    {
                        throw new WorkerProtocolException(error);
                    }

                    var results = message.Results.Results;
                    if (outcomes.Length < results.Count)
                    {
                        outcomes = new ChunkOutcome[results.Count];
                    }

                    for (var i = 0; i < results.Count; i++)
                    {
                        outcomes[i] = ToOutcome(results[i]);
                    }

                    yield return new WorkerInput(WorkerInputKind.Results, outcomes.AsMemory(0, results.Count), string.Empty);
                    break;
                case WorkerMessage.PayloadOneofCase.Drain:
                    yield return new WorkerInput(WorkerInputKind.Drain, default, InputRules.Cut(message.Drain.Reason, 200));
                    break;
                case WorkerMessage.PayloadOneofCase.StackReply:
                    yield return new WorkerInput(WorkerInputKind.Stacks, default, string.Empty) { Stacks = ToAnswer(message.StackReply) };
                    break;
                case WorkerMessage.PayloadOneofCase.LocalReadProof:
                    yield return new WorkerInput(WorkerInputKind.LocalReads, default, InputRules.Cut(message.LocalReadProof.Error, 200))
                    {
                        ProbeToken = InputRules.Cut(message.LocalReadProof.Token, 128),
                    };
                    break;
                case WorkerMessage.PayloadOneofCase.Heartbeat when message.Heartbeat.WorkingSetBytes > 0:
                    yield return new WorkerInput(WorkerInputKind.Alive, default, string.Empty)
                    {
                        Usage = (message.Heartbeat.ProcessCpuSeconds, message.Heartbeat.WorkingSetBytes),
                    };
                    break;
                default:
                    yield return new WorkerInput(WorkerInputKind.Alive, default, string.Empty);
                    break;
            }
        }
    }

    /// <summary>A result as the stages see it; a negative elapsed time (a clock that went back) counts as zero.</summary>
    public static ChunkOutcome ToOutcome(ChunkResult result) => ToOutcome(result, Math.Max(0, result.ElapsedUs));

    private static ChunkOutcome ToOutcome(ChunkResult result, long elapsedUs) => result.OutcomeCase switch
    {
        ChunkResult.OutcomeOneofCase.Output =>
            new(result.JobId, result.ChunkIndex, result.Attempt, ChunkOutcomeKind.Succeeded, result.Output.Memory, elapsedUs, null) { AssignedEpoch = result.AssignedEpoch },
        ChunkResult.OutcomeOneofCase.Failure =>
            new(result.JobId, result.ChunkIndex, result.Attempt, ChunkOutcomeKind.Failed, default, elapsedUs, ToFailure(result.Failure)) { AssignedEpoch = result.AssignedEpoch },
        ChunkResult.OutcomeOneofCase.Released =>
            new(result.JobId, result.ChunkIndex, result.Attempt, ChunkOutcomeKind.Released, default, elapsedUs, null) { AssignedEpoch = result.AssignedEpoch },
        _ => new(result.JobId, result.ChunkIndex, result.Attempt, ChunkOutcomeKind.None, default, elapsedUs, null) { AssignedEpoch = result.AssignedEpoch },
    };

    /// <summary>A worker's stacks, cut to sizes that a broken or hostile worker cannot use to fill the coordinator's memory.</summary>
    private static StackAnswer ToAnswer(StackReply reply) => new(
        reply.RequestId,
        [.. reply.Stacks.Take(MaxStacks).Select(s => new ThreadStackInfo(
            new AttemptRef(InputRules.Cut(s.Attempt?.JobId ?? string.Empty, 64), s.Attempt?.ChunkIndex ?? -1, s.Attempt?.Attempt ?? 0),
            InputRules.Cut(s.Thread, 64),
            Math.Max(0, s.RunningMs),
            [.. s.Frames.Take(MaxFrames).Select(f => InputRules.Cut(f, 1024))]))],
        InputRules.Cut(reply.Error, 1024));

    private const int MaxStacks = 4096;
    private const int MaxFrames = 256;

    private static AttemptFailure ToFailure(ChunkFailure failure) =>
        new(InputRules.Cut(failure.ExceptionType, 256), InputRules.Cut(failure.Message), InputRules.Cut(failure.StackTrace, InputRules.MaxStackTraceLength));
}
