using Cluster.Contracts.V1;
using Cluster.Coordinator.Dispatch;
using Cluster.Coordinator.Limits;
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
        if (InputRules.Check(request) is { } error)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, error));
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
        if (InputRules.Check(join) is { } error)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, error));
        }

        try
        {
            await sessions.RunAsync(WorkerMapping.ToJoin(join), WorkerMessages.ReadAsync(requestStream), sendLoop.Over(responseStream), context.CancellationToken);
        }
        catch (WorkerProtocolException ex)
        {
            throw new RpcException(new Status(ex.Forged ? StatusCode.PermissionDenied : StatusCode.InvalidArgument, ex.Message));
        }
    }
}
