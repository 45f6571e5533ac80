using Cluster.Contracts.V1;
using Cluster.Coordinator.Api;
using Cluster.Coordinator.Attempts;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Merging;
using Cluster.Coordinator.Scheduling;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Membership;

/// <summary>
/// Runs one worker's session over its bidirectional stream: registers it, pushes batched work and control
/// messages from a single send loop, applies what the worker sends, and requeues its chunks when it goes.
/// </summary>
internal sealed partial class SessionRunner(
    Scheduler scheduler,
    ResultMerger results,
    WorkerDeparture departure,
    JobFinisher finisher,
    WorkerRegistry registry,
    IOptions<CoordinatorOptions> options,
    TimeProvider time,
    ILogger<SessionRunner> logger)
{
    // A batch is flushed once its payloads pass this size, so one message never nears the message limit.
    private const int FlushBytes = 8 << 20;
    private readonly CoordinatorOptions _options = options.Value;

    public async Task RunAsync(
        WorkerJoin join,
        IAsyncStreamReader<WorkerMessage> requests,
        IServerStreamWriter<CoordinatorMessage> responses,
        CancellationToken callToken)
    {
        using var session = new WorkerSession(join, Guid.NewGuid().ToString("N"), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callToken, session.Lifetime);
        var token = linked.Token;
        var sendLoop = Task.CompletedTask;

        // Registered inside the try: whatever happens from here on, the finally unregisters the session.
        try
        {
            registry.Add(session)?.Abort("replaced by a new session of the same worker");
            await responses.WriteAsync(
                new CoordinatorMessage
                {
                    JoinAccepted = new JoinAccepted
                    {
                        HeartbeatIntervalMs = (int)_options.HeartbeatInterval.TotalMilliseconds,
                        LeaseMs = (int)_options.Lease.TotalMilliseconds,
                        SessionId = session.SessionId,
                    },
                },
                token);
            LogJoined(logger, session.WorkerId, session.Host, session.Pid, session.Threads);
            scheduler.AddSession(session);
            sendLoop = SendGuardedAsync(session, responses, token);
            var outcomes = new ChunkOutcome[64];
            while (await requests.MoveNext(token))
            {
                session.Touch();
                var message = requests.Current;
                switch (message.PayloadCase)
                {
                    case WorkerMessage.PayloadOneofCase.Results:
                        var batch = message.Results.Results;
                        if (outcomes.Length < batch.Count)
                        {
                            outcomes = new ChunkOutcome[batch.Count];
                        }

                        for (var i = 0; i < batch.Count; i++)
                        {
                            outcomes[i] = WorkerMapping.ToOutcome(batch[i]);
                        }

                        results.Apply(session, outcomes.AsSpan(0, batch.Count));
                        break;
                    case WorkerMessage.PayloadOneofCase.Drain:
                        session.DrainReason = message.Drain.Reason;
                        scheduler.MarkDraining(session);
                        LogDraining(logger, session.WorkerId, message.Drain.Reason);
                        break;
                    default:
                        break;
                }
            }

            session.SetDepartureReason(session.Draining ? $"drained ({session.DrainReason})" : "stream closed by the worker");
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

    private async Task SendGuardedAsync(WorkerSession session, IServerStreamWriter<CoordinatorMessage> responses, CancellationToken token)
    {
        try
        {
            await SendLoopAsync(session, responses, token);
        }
        catch (Exception ex) when (!token.IsCancellationRequested)
        {
            // Without its send loop the session can do nothing useful: end it so its chunks run elsewhere.
            session.Abort($"sending to the worker failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task SendLoopAsync(WorkerSession session, IServerStreamWriter<CoordinatorMessage> responses, CancellationToken token)
    {
        var taken = new List<Assignment>();
        using var buffers = new PayloadBuffers();
        while (true)
        {
            await session.WaitForWakeAsync(token);
            while (session.TryDequeueControl(out var control))
            {
                await responses.WriteAsync(ToMessage(control), token);
            }

            taken.Clear();
            scheduler.TakeWork(session, taken);
            var batch = new AssignmentBatch();
            var bytes = 0;

            // Consecutive chunks of one job need one check of whether the worker knows the job, not one per chunk.
            Job? lastJob = null;
            foreach (var assignment in taken)
            {
                var job = assignment.Job;
                if (job.IsFinal)
                {
                    // Finished between TakeWork and here; Finish already released the slot.
                    continue;
                }

                if (!ReferenceEquals(job, lastJob) && session.MarkJobKnown(job.Id))
                {
                    var definition = new JobDefinition { JobId = job.Id, Kind = job.Kind.Name };
                    foreach (var (name, value) in job.Parameters)
                    {
                        definition.Parameters[name] = ParameterValue.FromClr(value);
                    }

                    batch.Jobs.Add(definition);
                }

                lastJob = job;
                buffers.Begin();
                try
                {
                    job.Plan.WritePayload(assignment.Chunk, buffers);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    finisher.Fail(job, $"Producing the payload of chunk {assignment.Chunk} failed: {ex.GetType().FullName}: {ex.Message}");
                    continue;
                }

                batch.Chunks.Add(new ChunkAssignment
                {
                    JobId = job.Id,
                    ChunkIndex = assignment.Chunk,
                    Attempt = assignment.Attempt,
                    Payload = buffers.Take(),
                });
                bytes += buffers.Length;
                if (bytes >= FlushBytes)
                {
                    await responses.WriteAsync(new CoordinatorMessage { Assignments = batch }, token);
                    buffers.Release();
                    batch = new AssignmentBatch();
                    bytes = 0;
                }
            }

            if (batch.Chunks.Count > 0)
            {
                await responses.WriteAsync(new CoordinatorMessage { Assignments = batch }, token);
            }

            buffers.Release();
        }
    }

    private static CoordinatorMessage ToMessage(SessionControl control) => control switch
    {
        CancelAttempts cancel => new CoordinatorMessage
        {
            Cancel = new CancelChunks { Chunks = { cancel.Attempts.Select(a => new ChunkRef { JobId = a.JobId, ChunkIndex = a.Chunk, Attempt = a.Attempt }) } },
        },
        CloseJob closed => new CoordinatorMessage { JobClosed = new JobClosed { JobId = closed.JobId } },
        _ => throw new ArgumentOutOfRangeException(nameof(control), control, "unknown control item"),
    };

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

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Worker {WorkerId} left: {Reason}")]
    private static partial void LogLeft(ILogger logger, string workerId, string reason);
}
