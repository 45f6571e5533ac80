using System.Runtime.CompilerServices;
using Cluster.Bundles.Format;
using Cluster.Contracts.V1;
using Cluster.Coordinator.Bundles;
using Cluster.Coordinator.Journal;
using Cluster.Coordinator.Limits;
using Cluster.Jobs;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Api;

/// <summary>The bundle service: uploads and questions from clients, fetches from workers; domain errors mapped to statuses.</summary>
internal sealed class BundlesEndpoint(
    CoordinatorBundles bundles,
    ClientLimits limits,
    ICallerIdentity callers,
    IOptions<LimitsOptions> limitsOptions,
    TimeProvider time) : BundleService.BundleServiceBase
{
    private const int PieceBytes = 1 << 20;

    public override Task<HasBundleResponse> HasBundle(HasBundleRequest request, ServerCallContext context) => Guard(() =>
    {
        bundles.CheckAllowed(request.BundleId, "bundle_id");
        return Task.FromResult(new HasBundleResponse { Present = bundles.Store.Contains(request.BundleId), MaxBundleBytes = bundles.MaxBundleBytes });
    });

    public override Task<UploadBundleResponse> UploadBundle(IAsyncStreamReader<UploadBundleRequest> requestStream, ServerCallContext context) => Guard(async () =>
    {
        // An upload holds a stream and a file as a SubmitJob does: the same per-client limit counts both.
        using var stream = limits.Enter(ClientLimit.SubmitStreams, callers.KeyOf(context));
        using var idle = new IdleDeadline(limitsOptions.Value.SubmitIdleTimeout, time, context.CancellationToken);
        try
        {
            if (!await requestStream.MoveNext(idle.Token) || requestStream.Current.PayloadCase != UploadBundleRequest.PayloadOneofCase.Header)
            {
                throw new JobParameterException("header", "must be the first message of UploadBundle");
            }

            var header = requestStream.Current.Header;
            idle.Reset();
            var received = await bundles.ReceiveAsync(header.BundleId, header.Size, Pieces(requestStream, idle, idle.Token), idle.Token);
            return new UploadBundleResponse { BundleId = header.BundleId, ReceivedBytes = received };
        }
        catch (OperationCanceledException) when (idle.Expired && !context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"UploadBundle stream idle timeout: at most {idle.Timeout.TotalSeconds:0.###} s without a message ({LimitsOptions.Section}:{nameof(LimitsOptions.SubmitIdleTimeout)}); the upload was discarded"));
        }
    });

    public override async Task FetchBundle(FetchBundleRequest request, IServerStreamWriter<BundlePiece> responseStream, ServerCallContext context)
    {
        if (!BundleIds.IsValid(request.BundleId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "bundle_id: must be 64 lowercase hexadecimal characters, the SHA-256 of the bundle"));
        }

        var bytes = bundles.Store.TryRead(request.BundleId)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"bundle_id: bundle {request.BundleId} is not on this coordinator"));
        var offset = 0;
        do
        {
            var length = Math.Min(PieceBytes, bytes.Length - offset);
            await responseStream.WriteAsync(new BundlePiece { Data = ByteString.CopyFrom(bytes, offset, length), TotalBytes = bytes.Length }, context.CancellationToken);
            offset += length;
        }
        while (offset < bytes.Length);
    }

    public override Task<ListBundlesResponse> ListBundles(ListBundlesRequest request, ServerCallContext context)
    {
        var response = new ListBundlesResponse();
        foreach (var id in bundles.Store.Ids)
        {
            var counters = bundles.Counters.GetValueOrDefault(id);
            response.Bundles.Add(new BundleInfo
            {
                BundleId = id,
                Size = bundles.Store.SizeOf(id),
                ReceivedBytes = counters?.ReceivedBytes ?? 0,
                Uploads = counters?.Uploads ?? 0,
                Jobs = counters?.Jobs ?? 0,
                Loaded = bundles.IsLoaded(id),
                ContextsAliveAfterUnload = bundles.AliveAfterUnload(id),
            });
        }

        return Task.FromResult(response);
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Pieces(IAsyncStreamReader<UploadBundleRequest> requestStream, IdleDeadline idle, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await requestStream.MoveNext(cancellationToken))
        {
            idle.Reset();
            if (requestStream.Current.PayloadCase != UploadBundleRequest.PayloadOneofCase.Data)
            {
                throw new JobParameterException("header", "must be sent once, as the first message; later messages carry data only");
            }

            yield return requestStream.Current.Data.Memory;
        }

        idle.Stop();
    }

    private static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (JobParameterException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
        catch (BundleRefusedException ex)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, ex.Message));
        }
        catch (BundleTooLargeException ex)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, ex.Message));
        }
        catch (StoreWriteException ex)
        {
            throw new RpcException(new Status(ex.Status, ex.Message));
        }
    }
}
