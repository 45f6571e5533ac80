using Cluster.Coordinator.Limits;
using Cluster.Coordinator.LocalReads;
using Cluster.Coordinator.Merging;
using Cluster.Coordinator.Scheduling;
using Grpc.Core;

namespace Cluster.Coordinator.Membership;

/// <summary>
/// One worker's session on its stream, from join to leave: registers it, answers the join, starts its send loop,
/// applies what the worker sends (results, a drain), and when the stream ends for any reason takes back what it
/// held so its chunks run elsewhere.
/// </summary>
internal sealed partial class SessionLifetime(
    Scheduler scheduler,
    ResultMerger results,
    WorkerDeparture departure,
    WorkerRegistry registry,
    LocalReadProbe probe,
    TimeProvider time,
    ILogger<SessionLifetime> logger)
{
    public async Task RunAsync(WorkerJoin join, IAsyncEnumerable<WorkerInput> inbound, IWorkerSender sender, CancellationToken callToken)
    {
        using var session = new WorkerSession(join, Guid.NewGuid().ToString("N"), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callToken, session.Lifetime);
        var token = linked.Token;
        var sendLoop = Task.CompletedTask;

        // Registered inside the try: whatever happens from here on, the finally unregisters the session.
        try
        {
            registry.Add(session)?.Abort("replaced by a new session of the same worker");
            await sender.AcceptAsync(session, token);
            LogJoined(logger, session.WorkerId, session.Host, session.Pid, session.Threads);
            scheduler.AddSession(session);
            sendLoop = SendGuardedAsync(session, sender, token);
            await foreach (var input in inbound.WithCancellation(token))
            {
                session.Touch();
                switch (input.Kind)
                {
                    case WorkerInputKind.Alive when input.Usage is { } usage:
                        session.ReportUsage(usage.CpuSeconds, usage.WorkingSetBytes);
                        break;
                    case WorkerInputKind.Results:
                        results.Apply(session, input.Results.Span);
                        break;
                    case WorkerInputKind.Drain:
                        session.DrainReason = input.DrainReason;
                        scheduler.MarkDraining(session);
                        LogDraining(logger, session.WorkerId, input.DrainReason);
                        break;
                    case WorkerInputKind.Stacks:
                        session.OnStacks(input.Stacks!);
                        break;
                    case WorkerInputKind.LocalReads:
                        probe.Accept(session, input.ProbeToken, input.DrainReason);
                        break;
                    default:
                        break;
                }
            }

            session.SetDepartureReason(session.Draining ? $"drained ({session.DrainReason})" : "stream closed by the worker");
        }
        catch (WorkerProtocolException ex)
        {
            // The worker broke the protocol: it is disconnected, and the call fails with the rule it broke.
            session.SetDepartureReason($"disconnected: {ex.Message}");
            LogProtocolViolation(logger, session.WorkerId, ex.Message);
            throw;
        }
        catch (OperationCanceledException) when (session.Lifetime.IsCancellationRequested)
        {
            // Ended from our side; Abort recorded why.
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or RpcException or InvalidOperationException)
        {
            session.SetDepartureReason($"stream broken: {ex.Message}");
        }
        finally
        {
            await linked.CancelAsync();
            departure.Leave(session);
            registry.Remove(session);
            await AwaitQuietlyAsync(sendLoop);
            LogLeft(logger, session.WorkerId, session.DepartureReason ?? "unknown");
        }
    }

    private static async Task SendGuardedAsync(WorkerSession session, IWorkerSender sender, CancellationToken token)
    {
        try
        {
            await sender.RunAsync(session, token);
        }
        catch (Exception ex) when (!token.IsCancellationRequested)
        {
            // Without its send loop the session can do nothing useful: end it so its chunks run elsewhere.
            session.Abort($"sending to the worker failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static async Task AwaitQuietlyAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or RpcException or InvalidOperationException)
        {
            // The session ended; what the send loop could not write is requeued already.
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Worker {WorkerId} joined from {Host} (pid {Pid}) with {Threads} threads")]
    private static partial void LogJoined(ILogger logger, string workerId, string host, int pid, int threads);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Worker {WorkerId} is draining: {Reason}")]
    private static partial void LogDraining(ILogger logger, string workerId, string reason);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Worker {WorkerId} disconnected for breaking the protocol: {Rule}")]
    private static partial void LogProtocolViolation(ILogger logger, string workerId, string rule);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Worker {WorkerId} left: {Reason}")]
    private static partial void LogLeft(ILogger logger, string workerId, string reason);
}
