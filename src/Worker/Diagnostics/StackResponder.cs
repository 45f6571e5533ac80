using Cluster.Contracts.V1;
using Cluster.Worker.Execution;
using Cluster.Worker.Reporting;
using Microsoft.Extensions.Logging;

namespace Cluster.Worker.Diagnostics;

/// <summary>
/// Answers the coordinator's stack requests (<c>cluster stack</c>): finds the compute threads running the attempts
/// asked about and takes their stacks, off the session's read loop and one request at a time (each writes a dump).
/// </summary>
internal sealed partial class StackResponder(ComputePool pool, OutboundWriter writer, TimeProvider time, ILogger logger)
{
    private readonly Lock _oneAtATime = new();

    /// <summary>Starts answering <paramref name="request"/>; the reply is queued on the session's writer when ready.</summary>
    public void Answer(StackRequest request, CancellationToken cancellationToken) => _ = AnswerAsync(request, cancellationToken);

    private async Task AnswerAsync(StackRequest request, CancellationToken cancellationToken)
    {
        var reply = new StackReply { RequestId = request.RequestId };
        try
        {
            reply.Stacks.AddRange(await Task.Run(() => Take(request), cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (InvalidOperationException ex)
        {
            LogStacksFailed(logger, ex.Message);
            reply.Error = ex.Message;
        }

        writer.EnqueueControl(new WorkerMessage { StackReply = reply });
    }

    private List<ThreadStack> Take(StackRequest request)
    {
        var asked = request.Attempts.Select(a => (a.JobId, a.ChunkIndex, a.Attempt)).ToHashSet();
        var running = pool.RunningItems().Where(r => asked.Contains((r.Item.JobId, r.Item.ChunkIndex, r.Item.Attempt))).ToList();
        if (running.Count == 0)
        {
            return [];
        }

        IReadOnlyDictionary<int, IReadOnlyList<string>> frames;
        lock (_oneAtATime)
        {
            frames = StackSnapshots.Take(running.Select(r => r.ManagedThreadId).ToHashSet());
        }

        return [.. running.Select(r => new ThreadStack
        {
            Attempt = new ChunkRef { JobId = r.Item.JobId, ChunkIndex = r.Item.ChunkIndex, Attempt = r.Item.Attempt },
            Thread = r.Thread,
            RunningMs = (long)time.GetElapsedTime(r.StartedAt).TotalMilliseconds,
            Frames = { frames.GetValueOrDefault(r.ManagedThreadId) ?? [] },
        })];
    }

    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "Could not take stacks for the coordinator: {Reason}")]
    private static partial void LogStacksFailed(ILogger logger, string reason);
}
