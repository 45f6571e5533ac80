using System.Runtime.CompilerServices;
using Cluster.Contracts.V1;
using Cluster.Processes;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Polly;

namespace Cluster.Client;

/// <summary>
/// Talks to one coordinator: submits jobs, follows them, fetches their results and lists the cluster's state.
/// Failures surface as <see cref="ClusterException"/> with a one-sentence message.
/// </summary>
public sealed partial class ClusterClient : IDisposable
{
    /// <summary>Largest gRPC message sent or received (64 MiB).</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    /// <summary>Size of the pieces input data is streamed in (64 KiB).</summary>
    public const int InputPieceBytes = 64 * 1024;

    private readonly GrpcChannel? _ownedChannel;
    private readonly JobService.JobServiceClient _service;
    private readonly WorkerService.WorkerServiceClient _workers;
    private readonly BundleService.BundleServiceClient _bundles;
    private readonly ClusterClientOptions _options;
    private readonly ResiliencePipeline _callRetry;

    /// <summary>
    /// Creates a client of the coordinator at <paramref name="address"/> (for example <c>http://127.0.0.1:7400</c>)
    /// over a channel of its own, which <see cref="Dispose"/> closes.
    /// </summary>
    /// <exception cref="ArgumentException">The address is not an absolute http:// or https:// URL.</exception>
    public ClusterClient(string address, ClusterClientOptions? options = null)
        : this(ParseAddress(address), options)
    {
    }

    /// <inheritdoc cref="ClusterClient(string, ClusterClientOptions?)"/>
    public ClusterClient(Uri address, ClusterClientOptions? options = null)
        : this(address, CreateChannel(address, options ?? new ClusterClientOptions()), options, ownsChannel: true)
    {
    }

    /// <summary>
    /// Creates a client that calls over <paramref name="channel"/>, for settings the client does not offer (TLS
    /// credentials, a custom HTTP handler). The caller owns the channel: <see cref="Dispose"/> leaves it open, and the
    /// caller disposes it after the client. Create it with <see cref="GrpcChannelOptions.MaxReceiveMessageSize"/> and
    /// <see cref="GrpcChannelOptions.MaxSendMessageSize"/> of at least <see cref="MaxMessageBytes"/>, or large
    /// specs and results are refused. <see cref="ClusterClientOptions.ConnectTimeout"/> does not apply to it.
    /// </summary>
    /// <param name="channel">The channel to the coordinator.</param>
    /// <param name="address">The coordinator the channel reaches; it is named in error messages (the channel does not tell it).</param>
    /// <param name="options">Call timeouts and retries; default <see cref="ClusterClientOptions"/>.</param>
    public ClusterClient(GrpcChannel channel, Uri address, ClusterClientOptions? options = null)
        : this(address, channel, options, ownsChannel: false)
    {
    }

    /// <summary>
    /// Creates a client that makes its calls through <paramref name="callInvoker"/>: a channel with interceptors, or
    /// a fake in tests. The caller owns whatever the invoker calls over; <see cref="Dispose"/> releases nothing.
    /// </summary>
    /// <param name="callInvoker">Makes the calls, for example <c>channel.Intercept(...)</c>.</param>
    /// <param name="address">The coordinator the invoker reaches; it is named in error messages.</param>
    /// <param name="options">Call timeouts and retries; default <see cref="ClusterClientOptions"/>.</param>
    public ClusterClient(CallInvoker callInvoker, Uri address, ClusterClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(callInvoker);
        ArgumentNullException.ThrowIfNull(address);
        Address = address;
        _options = options ?? new ClusterClientOptions();
        _callRetry = BuildCallRetry();
        if (_options.Token is { Length: > 0 } token)
        {
            var header = BearerToken.HeaderValue(token);
            callInvoker = callInvoker.Intercept(metadata =>
            {
                metadata.Add(BearerToken.MetadataKey, header);
                return metadata;
            });
        }

        _service = new JobService.JobServiceClient(callInvoker);
        _workers = new WorkerService.WorkerServiceClient(callInvoker);
        _bundles = new BundleService.BundleServiceClient(callInvoker);
    }

    private ClusterClient(Uri address, GrpcChannel channel, ClusterClientOptions? options, bool ownsChannel)
        : this((channel ?? throw new ArgumentNullException(nameof(channel))).CreateCallInvoker(), address, options)
    {
        _ownedChannel = ownsChannel ? channel : null;
    }

    /// <summary>The coordinator's address.</summary>
    public Uri Address { get; }

    /// <summary>
    /// Submits a job. <paramref name="input"/>, when given, is streamed after the spec in pieces of
    /// <see cref="InputPieceBytes"/>; a submission with input has no deadline, one without has <see cref="ClusterClientOptions.CallTimeout"/>.
    /// </summary>
    /// <returns>The job as accepted.</returns>
    public async Task<JobInfo> SubmitAsync(JobSpec spec, Stream? input = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);

        // A coordinator that is restarting is waited for, but only while connecting fails: a submission that may have
        // reached it is not sent again, lest the job run twice. Input that cannot be rewound is sent once only.
        var start = input is { CanSeek: true } ? input.Position : 0;
        var pipeline = input is null || input.CanSeek ? BuildWatchRetry(retryWhen: RpcErrors.NeverConnected) : ResiliencePipeline.Empty;
        return await pipeline.ExecuteAsync(
            async ct =>
            {
                if (input is { CanSeek: true })
                {
                    input.Position = start;
                }

                return await SubmitOnceAsync(spec, input, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<JobInfo> SubmitOnceAsync(JobSpec spec, Stream? input, CancellationToken cancellationToken)
    {
        var callOptions = input is null ? Unary(cancellationToken) : new CallOptions(cancellationToken: cancellationToken);
        long sent = 0;
        try
        {
            return await SubmitCallAsync(spec, input, callOptions, bytes => sent = bytes < 0 ? -1 : sent + bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (input is not null && sent > 0 && e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled && !RpcErrors.NeverConnected(e) && !RpcErrors.AnsweredByCoordinator(e))
        {
            // Cut before the input's end was sent (sent is -1 from then on): a job whose input length is unknown is
            // accepted only once all of it arrived, so this one does not exist; one accepted with its length declared
            // (chunks start while it uploads) fails for its cut upload.
            throw new ClusterException(
                $"The connection to the coordinator at {RpcErrors.Display(Address)} broke after {sent} bytes of the input were sent, before the job was accepted (the coordinator stopped or restarted): no job was created, or it failed for its cut upload; submit it again.",
                StatusCode.Unavailable,
                e.InnerException);
        }
    }

    private async Task<JobInfo> SubmitCallAsync(JobSpec spec, Stream? input, CallOptions callOptions, Action<int> sent, CancellationToken cancellationToken)
    {
        return await TranslateAsync(async () =>
        {
            using var call = _service.SubmitJob(callOptions);
            await call.RequestStream.WriteAsync(new SubmitJobRequest { Spec = WithInputLength(spec, input) }, cancellationToken).ConfigureAwait(false);
            if (input is not null)
            {
                // A write has serialized its message once it completes, so one buffer is wrapped, not copied, each time.
                var buffer = new byte[InputPieceBytes];
                int read;
                while ((read = await input.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await call.RequestStream.WriteAsync(new SubmitJobRequest { Input = UnsafeByteOperations.UnsafeWrap(buffer.AsMemory(0, read)) }, cancellationToken).ConfigureAwait(false);
                    sent(read);
                }
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            sent(-1);
            var response = await call.ResponseAsync.ConfigureAwait(false);
            return response.Job;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The spec with <see cref="JobSpec.InputLength"/> set to what is left of a seekable <paramref name="input"/> (a
    /// file), so that the coordinator starts chunks while the rest uploads; as given for a stream of unknown length.
    /// </summary>
    private static JobSpec WithInputLength(JobSpec spec, Stream? input)
    {
        if (input is not { CanSeek: true } || spec.InputLength != 0 || spec.InputUrl.Length > 0 || input.Length - input.Position <= 0)
        {
            return spec;
        }

        var declared = spec.Clone();
        declared.InputLength = input.Length - input.Position;
        return declared;
    }

    /// <summary>Streams a job's progress events until it reaches a final state (the last event carries it). No deadline.</summary>
    public async IAsyncEnumerable<JobEvent> WatchAsync(string jobId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        using var call = _service.WatchJob(new WatchJobRequest { JobId = jobId }, cancellationToken: cancellationToken);
        while (await TranslateAsync(() => call.ResponseStream.MoveNext(cancellationToken), cancellationToken).ConfigureAwait(false))
        {
            yield return call.ResponseStream.Current;
        }
    }

    /// <summary>Returns one job's current snapshot. Retried while the coordinator is unavailable.</summary>
    public Task<JobInfo> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return CallAsync(ct => _service.GetJobAsync(new GetJobRequest { JobId = jobId }, Unary(ct)).ResponseAsync, cancellationToken);
    }

    /// <summary>Lists jobs, newest first; <paramref name="limit"/> 0 lets the coordinator choose (100). Retried while the coordinator is unavailable.</summary>
    public async Task<IReadOnlyList<JobInfo>> ListJobsAsync(int limit = 0, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(
            ct => _service.ListJobsAsync(new ListJobsRequest { Limit = limit }, Unary(ct)).ResponseAsync, cancellationToken).ConfigureAwait(false);
        return response.Jobs;
    }

    /// <summary>
    /// Cancels a job; returns its snapshot after the cancellation. Cancelling twice is cancelling once, so this is
    /// retried while the coordinator is unavailable.
    /// </summary>
    public Task<JobInfo> CancelAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return CallAsync(ct => _service.CancelJobAsync(new CancelJobRequest { JobId = jobId }, Unary(ct)).ResponseAsync, cancellationToken);
    }

    /// <summary>
    /// A job's attempt log: every attempt of every chunk that did not succeed at once (failed, lost, stale, backup-lost,
    /// cancelled, and the retry that succeeded) with its worker, start, end, outcome and error, in the order they ended,
    /// and how many attempts past the coordinator's bound were counted but not kept. Still listed after a restart of a
    /// coordinator with a data directory. Retried while the coordinator is unavailable.
    /// </summary>
    /// <param name="jobId">The job's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<GetJobAttemptsResponse> GetJobAttemptsAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return CallAsync(ct => _service.GetJobAttemptsAsync(new GetJobAttemptsRequest { JobId = jobId }, Unary(ct)).ResponseAsync, cancellationToken);
    }

    /// <summary>
    /// The managed stacks of the compute threads running a job's attempts (of chunk <paramref name="chunkIndex"/> only,
    /// when given), taken on the workers that run them: where a hung chunk waits. Longest-running first. Workers
    /// answer within 30 s, so the call's deadline is at least that long. Retried while the coordinator is unavailable.
    /// </summary>
    public async Task<IReadOnlyList<AttemptStack>> GetStacksAsync(string jobId, long? chunkIndex = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        var request = new GetStacksRequest { JobId = jobId };
        if (chunkIndex is { } chunk)
        {
            request.ChunkIndex = chunk;
        }

        var timeout = _options.CallTimeout > StacksTimeout ? _options.CallTimeout : StacksTimeout;
        var response = await CallAsync(
            ct => _service.GetStacksAsync(request, new CallOptions(deadline: _options.TimeProvider.GetUtcNow().UtcDateTime + timeout, cancellationToken: ct)).ResponseAsync,
            cancellationToken).ConfigureAwait(false);
        return response.Attempts;
    }

    /// <summary>Lists connected workers, and with <paramref name="includeDeparted"/> the ones that left recently. Retried while the coordinator is unavailable.</summary>
    public async Task<IReadOnlyList<WorkerInfo>> ListWorkersAsync(bool includeDeparted = false, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(
            ct => _service.ListWorkersAsync(new ListWorkersRequest { IncludeDeparted = includeDeparted }, Unary(ct)).ResponseAsync,
            cancellationToken).ConfigureAwait(false);
        return response.Workers;
    }

    /// <summary>Lists the job kinds the coordinator can plan, with their parameters. Retried while the coordinator is unavailable.</summary>
    public async Task<IReadOnlyList<KindInfo>> ListKindsAsync(CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(ct => _service.ListKindsAsync(new ListKindsRequest(), Unary(ct)).ResponseAsync, cancellationToken).ConfigureAwait(false);
        return response.Kinds;
    }

    /// <summary>
    /// Whether the coordinator's workers read this machine's files at the same paths, so that an input file here can
    /// be named by <c>file:///</c> URL (<see cref="JobSpec.InputUrl"/>) instead of uploaded: the coordinator is on
    /// loopback, so on this machine, and says its workers share its files (<c>cluster local</c>, a
    /// <see cref="Local.LocalCluster"/>). Retried while the coordinator is unavailable.
    /// </summary>
    public async Task<bool> WorkersShareLocalFilesAsync(CancellationToken cancellationToken = default)
    {
        if (!Address.IsLoopback)
        {
            return false;
        }

        var response = await CallAsync(ct => _service.ListKindsAsync(new ListKindsRequest(), Unary(ct)).ResponseAsync, cancellationToken).ConfigureAwait(false);
        return response.WorkersShareFiles;
    }

    /// <summary>
    /// Writes a succeeded job's result data to <paramref name="destination"/>. No deadline. A download that fails
    /// because the coordinator was unavailable is started again from the beginning when nothing was written yet or
    /// <paramref name="destination"/> can seek back.
    /// </summary>
    /// <returns>The number of bytes written and the result's media type.</returns>
    public async Task<ResultDownload> DownloadResultAsync(string jobId, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        ArgumentNullException.ThrowIfNull(destination);
        var start = destination.CanSeek ? destination.Position : 0;
        long written = 0;
        return await BuildCallRetry(retryWhen: _ => written == 0 || destination.CanSeek).ExecuteAsync(
            async ct =>
            {
                if (written > 0)
                {
                    destination.Position = start;
                    destination.SetLength(start);
                    written = 0;
                }

                return await DownloadOnceAsync(jobId, destination, bytes => written += bytes, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<ResultDownload> DownloadOnceAsync(string jobId, Stream destination, Action<int> wrote, CancellationToken cancellationToken)
    {
        using var call = _service.GetJobResult(new GetJobResultRequest { JobId = jobId }, cancellationToken: cancellationToken);
        long written = 0;
        var contentType = string.Empty;
        while (await TranslateAsync(() => call.ResponseStream.MoveNext(cancellationToken), cancellationToken).ConfigureAwait(false))
        {
            var piece = call.ResponseStream.Current;
            contentType = piece.ContentType;
            await destination.WriteAsync(piece.Data.Memory, cancellationToken).ConfigureAwait(false);
            written += piece.Data.Length;
            wrote(piece.Data.Length);
        }

        return new ResultDownload(written, contentType);
    }

    /// <summary>
    /// For supervisors that start worker processes: tells the coordinator how a worker's process ended, so that
    /// <c>cluster workers</c> shows the exit code or signal beside the broken stream.
    /// </summary>
    public async Task ReportWorkerExitAsync(string workerId, int pid, int exitCode, string description, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        var report = new WorkerExitReport { WorkerId = workerId, Pid = pid, ExitCode = exitCode, Description = description };
        await TranslateAsync(() => _workers.ReportWorkerExitAsync(report, Unary(cancellationToken)).ResponseAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the channel the client created for itself; a channel or invoker passed in is left to its owner.</summary>
    public void Dispose() => _ownedChannel?.Dispose();

    private static GrpcChannel CreateChannel(Uri address, ClusterClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(address);
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = MaxMessageBytes,
            MaxSendMessageSize = MaxMessageBytes,
            // The channel's own reconnect backoff (by default up to 120 s) must stay well inside the client's retries:
            // after a coordinator restart, a call would otherwise fail at once with the old "connection refused" until
            // the channel tries again. Trying every 400 ms (by default) while the coordinator is down costs nothing.
            InitialReconnectBackoff = options.CallRetryDelay,
            MaxReconnectBackoff = options.CallRetryDelay * 2,
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = options.ConnectTimeout,
                EnableMultipleHttp2Connections = true,
                // Multi-MiB payloads stream without waiting on window updates (the default starts at 64 KiB).
                InitialHttp2StreamWindowSize = 16 << 20,
                // Keeps long watches alive through idle periods and notices a vanished coordinator.
                KeepAlivePingDelay = TimeSpan.FromSeconds(20),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
                SslOptions = ClientTls.Create(options),
            },
        });
    }

    private static Uri ParseAddress(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new ArgumentException($"'{address}' is not a coordinator address; expected a URL such as http://127.0.0.1:7400.", nameof(address));

    // The coordinator gives workers 30 s to write and read their dumps.
    private static readonly TimeSpan StacksTimeout = TimeSpan.FromSeconds(45);

    private CallOptions Unary(CancellationToken cancellationToken) =>
        new(deadline: _options.TimeProvider.GetUtcNow().UtcDateTime + _options.CallTimeout, cancellationToken: cancellationToken);

    private async Task<T> TranslateAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The call was cancelled.", e, cancellationToken);
        }
        catch (RpcException e)
        {
            throw RpcErrors.Translate(e, Address, _options.CallTimeout);
        }
    }
}

/// <summary>What <see cref="ClusterClient.DownloadResultAsync"/> wrote.</summary>
/// <param name="Bytes">Number of bytes written.</param>
/// <param name="ContentType">Media type of the result, for example <c>image/png</c>.</param>
public sealed record ResultDownload(long Bytes, string ContentType);
