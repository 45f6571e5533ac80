using Cluster.Contracts.V1;
using Cluster.Coordinator.Dispatch;
using Cluster.Coordinator.Membership;
using Grpc.Core;

namespace Cluster.Coordinator.Api;

/// <summary>
/// The worker-facing service: checks the join, then runs the session's lifetime over the stream, reading through
/// <see cref="WorkerMessages"/> and writing through the <see cref="SendLoop"/>.
/// </summary>
internal sealed class WorkersEndpoint(SessionLifetime sessions, SendLoop sendLoop, WorkerRegistry registry) : WorkerService.WorkerServiceBase
{
    public override Task<WorkerExitAck> ReportWorkerExit(WorkerExitReport request, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(request.WorkerId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "worker_id: is required"));
        }

        var description = string.IsNullOrEmpty(request.Description) ? $"exited with code {request.ExitCode}" : request.Description;
        return Task.FromResult(new WorkerExitAck { Known = registry.AnnotateExit(request.WorkerId, request.Pid, description) });
    }

    public override async Task Connect(
        IAsyncStreamReader<WorkerMessage> requestStream,
        IServerStreamWriter<CoordinatorMessage> responseStream,
        ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken) || requestStream.Current.PayloadCase != WorkerMessage.PayloadOneofCase.Join)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "join: the first message of Connect must be a join"));
        }

        var join = requestStream.Current.Join;
        var error = join switch
        {
            { WorkerId.Length: 0 } => "join.worker_id: is required",
            { WorkerId.Length: > 128 } => "join.worker_id: must be at most 128 characters",
            { Threads: < 1 or > 1024 } => $"join.threads: must be between 1 and 1024 (got {join.Threads})",
            _ => null,
        };
        if (error is not null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, error));
        }

        await sessions.RunAsync(WorkerMapping.ToJoin(join), WorkerMessages.ReadAsync(requestStream), sendLoop.Over(responseStream), context.CancellationToken);
    }
}
