using System.Runtime.CompilerServices;
using Cluster.Bundles;
using Cluster.Contracts.V1;
using Cluster.Coordinator.Attempts;
using Cluster.Coordinator.Bundles;
using Cluster.Coordinator.Diagnostics;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Journal;
using Cluster.Coordinator.Limits;
using Cluster.Coordinator.Membership;
using Cluster.Coordinator.Merging;
using Cluster.Coordinator.Security;
using Cluster.Coordinator.Submission;
using Cluster.Jobs;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;
using JobState = Cluster.Coordinator.Jobs.JobState;

namespace Cluster.Coordinator.Api;

/// <summary>The client-facing service: maps requests to domain calls and domain errors to gRPC statuses.</summary>
internal sealed class JobsEndpoint(
    JobSubmitter submitter,
    JobStore store,
    JobWatch watch,
    JobFinisher finisher,
    AttemptLedger ledger,
    WorkerRegistry workers,
    WorkerHealth health,
    JobKindCatalog kinds,
    BundleKinds bundleKinds,
    ClientLimits limits,
    ICallerIdentity callers,
    IOptions<LimitsOptions> limitsOptions,
    IOptions<CoordinatorOptions> options,
    TimeProvider time,
    StackQuery stackQuery) : JobService.JobServiceBase
{
    private const int ResultPieceBytes = 1 << 20;

    public override async Task<SubmitJobResponse> SubmitJob(IAsyncStreamReader<SubmitJobRequest> requestStream, ServerCallContext context)
    {
        var client = callers.KeyOf(context);
        using var stream = limits.Enter(ClientLimit.SubmitStreams, client);
        var queued = limits.Enter(ClientLimit.QueuedJobs, client);
        using var idle = new IdleDeadline(limitsOptions.Value.SubmitIdleTimeout, time, context.CancellationToken);
        try
        {
            var token = idle.Token;
            if (!await requestStream.MoveNext(token) || requestStream.Current.PayloadCase != SubmitJobRequest.PayloadOneofCase.Spec)
            {
                throw Invalid("spec: the first message of SubmitJob must carry the job spec");
            }

            idle.Reset();
            if (InputRules.Check(requestStream.Current.Spec) is { } error)
            {
                throw Invalid(error);
            }

            var submission = JobMapping.ToSubmission(requestStream.Current.Spec) with { Owner = context.GetCaller().Name };
            var job = await submitter.SubmitAsync(submission, InputPieces(requestStream, idle, token), token);

            // The job holds its place in the client's queue until it finishes, whichever way.
            _ = job.Completion.ContinueWith(static (_, lease) => ((IDisposable)lease!).Dispose(), queued, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            queued = null;
            return new SubmitJobResponse { Job = JobMapping.ToInfo(job) };
        }
        catch (JobParameterException ex)
        {
            throw Invalid(ex.Message);
        }
        catch (InputTooLargeException ex)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, ex.Message));
        }
        catch (StoreWriteException ex)
        {
            throw new RpcException(new Status(ex.Status, ex.Message));
        }
        catch (BundleException ex)
        {
            throw Invalid($"bundle_id: {ex.Message}");
        }
        catch (BundleRefusedException ex)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, ex.Message));
        }
        catch (BundleNotFoundException ex)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
        }
        catch (OperationCanceledException) when (idle.Expired && !context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, IdleMessage(idle.Timeout)));
        }
        finally
        {
            queued?.Dispose();
        }
    }

    /// <summary>The sentence a stream cancelled for silence carries.</summary>
    public static string IdleMessage(TimeSpan timeout) =>
        $"SubmitJob stream idle timeout: at most {timeout.TotalSeconds:0.###} s without a message ({LimitsOptions.Section}:{nameof(LimitsOptions.SubmitIdleTimeout)}); the upload was discarded";

    public override async Task WatchJob(WatchJobRequest request, IServerStreamWriter<JobEvent> responseStream, ServerCallContext context)
    {
        var job = Find(request.JobId, context);
        using var lease = limits.Enter(ClientLimit.Watches, callers.KeyOf(context));
        await foreach (var e in watch.WatchAsync(job, context.CancellationToken))
        {
            await responseStream.WriteAsync(e, context.CancellationToken);
        }
    }

    public override async Task<GetStacksResponse> GetStacks(GetStacksRequest request, ServerCallContext context)
    {
        var job = Find(request.JobId, context);
        if (request.HasChunkIndex && (request.ChunkIndex < 0 || request.ChunkIndex >= job.ChunkCount))
        {
            throw Invalid($"chunk_index: must be between 0 and {job.ChunkCount - 1}, the job's chunks (got {request.ChunkIndex})");
        }

        if (job.IsFinal)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"job_id: job '{job.Id}' is {job.State}: nothing of it runs any more"));
        }

        var stacks = await stackQuery.QueryAsync(job, request.HasChunkIndex ? request.ChunkIndex : null, context.CancellationToken);
        var response = new GetStacksResponse();
        response.Attempts.AddRange(stacks.Select(s => new AttemptStack
        {
            ChunkIndex = s.Chunk,
            Attempt = s.Attempt,
            WorkerId = s.WorkerId,
            RunningMs = s.RunningMs,
            State = s.State,
            Thread = s.Thread,
            Frames = { s.Frames },
            Backup = s.Backup,
        }));
        return response;
    }

    public override Task<GetJobAttemptsResponse> GetJobAttempts(GetJobAttemptsRequest request, ServerCallContext context) =>
        Task.FromResult(JobMapping.ToAttempts(Find(request.JobId, context)));

    public override Task<JobInfo> GetJob(GetJobRequest request, ServerCallContext context) =>
        Task.FromResult(JobMapping.ToInfo(Find(request.JobId, context)));

    public override Task<ListJobsResponse> ListJobs(ListJobsRequest request, ServerCallContext context)
    {
        if (request.Limit is < 0 or > 10_000)
        {
            throw Invalid($"limit: must be between 0 (meaning 100) and 10000 (got {request.Limit})");
        }

        var caller = context.GetCaller();
        var response = new ListJobsResponse();
        response.Jobs.AddRange(store.List(request.Limit == 0 ? 100 : request.Limit, job => caller.MaySee(job.Owner)).Select(JobMapping.ToInfo));
        return Task.FromResult(response);
    }

    public override Task<JobInfo> CancelJob(CancelJobRequest request, ServerCallContext context)
    {
        var job = Find(request.JobId, context);
        finisher.Cancel(job, "cancelled by a user request");
        return Task.FromResult(JobMapping.ToInfo(job));
    }

    public override async Task GetJobResult(GetJobResultRequest request, IServerStreamWriter<JobResultChunk> responseStream, ServerCallContext context)
    {
        var job = Find(request.JobId, context);
        if (job.State != JobState.Succeeded || job.Output is not { } output)
        {
            throw new RpcException(new Status(
                StatusCode.FailedPrecondition,
                $"job_id: job '{job.Id}' is {job.State}; a result exists only once it has SUCCEEDED"));
        }

        if (job.ResultFile is { } path)
        {
            await StreamFileAsync(path, job.ResultBytes, output.ContentType, responseStream, context.CancellationToken);
            return;
        }

        var data = output.Data;
        var offset = 0;
        do
        {
            var length = Math.Min(ResultPieceBytes, data.Length - offset);
            await responseStream.WriteAsync(
                new JobResultChunk
                {
                    Offset = offset,
                    Data = UnsafeByteOperations.UnsafeWrap(data.Slice(offset, length)),
                    TotalBytes = data.Length,
                    ContentType = output.ContentType,
                },
                context.CancellationToken);
            offset += length;
        }
        while (offset < data.Length);
    }

    /// <summary>
    /// A result kept on disk, streamed in pieces so it is never held in memory whole; a file of another length than the
    /// journal recorded (damaged on disk) is refused rather than sent as a result.
    /// </summary>
    private static async Task StreamFileAsync(string path, long expectedBytes, string contentType, IServerStreamWriter<JobResultChunk> responseStream, CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"job_id: the result file {path} is gone (removed by hand, or past the retention limits)"));
        }

        await using (file)
        {
            var total = file.Length;
            if (total != expectedBytes)
            {
                throw new RpcException(new Status(StatusCode.DataLoss, $"job_id: the result file {path} holds {total} bytes, not the {expectedBytes} written: it was damaged on disk; resubmit the job"));
            }

            var buffer = new byte[(int)Math.Min(ResultPieceBytes, Math.Max(total, 1))];
            long offset = 0;
            do
            {
                var length = await file.ReadAtLeastAsync(buffer, (int)Math.Min(buffer.Length, total - offset), throwOnEndOfStream: true, cancellationToken);
                await responseStream.WriteAsync(
                    new JobResultChunk
                    {
                        Offset = offset,
                        Data = ByteString.CopyFrom(buffer, 0, length),
                        TotalBytes = total,
                        ContentType = contentType,
                    },
                    cancellationToken);
                offset += length;
            }
            while (offset < total);
        }
    }

    public override Task<ListWorkersResponse> ListWorkers(ListWorkersRequest request, ServerCallContext context)
    {
        var response = new ListWorkersResponse();
        response.Workers.AddRange(workers.Connected
            .OrderBy(s => s.WorkerId, StringComparer.Ordinal)
            .Select(s => WorkerMapping.ToInfo(s, health.QuarantinedUntil(s.WorkerId), ledger.InFlight(s))));
        if (request.IncludeDeparted)
        {
            response.Workers.AddRange(workers.Departed.Select(WorkerMapping.ToInfo));
        }

        return Task.FromResult(response);
    }

    public override Task<ListKindsResponse> ListKinds(ListKindsRequest request, ServerCallContext context)
    {
        var response = new ListKindsResponse { WorkersShareFiles = options.Value.WorkersShareFiles };
        response.Kinds.AddRange(kinds.All.Select(KindDescriptions.Describe));
        response.Kinds.AddRange(bundleKinds.Describe());
        return Task.FromResult(response);
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> InputPieces(
        IAsyncStreamReader<SubmitJobRequest> requestStream,
        IdleDeadline idle,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await requestStream.MoveNext(cancellationToken))
        {
            idle.Reset();
            if (requestStream.Current.PayloadCase != SubmitJobRequest.PayloadOneofCase.Input)
            {
                throw new JobParameterException("spec", "must be sent once, as the first message; later messages carry input only");
            }

            yield return requestStream.Current.Input.Memory;
        }

        // The upload is complete: planning it may take long, and is not idleness.
        idle.Stop();
    }

    /// <summary>The job with this id, if the caller may see it: another client's job is as unknown as a missing one, so ids cannot be probed.</summary>
    private Job Find(string jobId, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(jobId))
        {
            throw Invalid("job_id: is required");
        }

        if (!JobIds.IsValid(jobId))
        {
            throw Invalid($"job_id: must be 32 lowercase hexadecimal characters, as SubmitJob returns (got {jobId.Length} characters)");
        }

        return store.TryGet(jobId, out var job) && context.GetCaller().MaySee(job.Owner)
            ? job
            : throw new RpcException(new Status(StatusCode.NotFound, $"job_id: no job '{jobId}' is known to this coordinator"));
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
