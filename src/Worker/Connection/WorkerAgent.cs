using Cluster.Contracts.V1;
using Cluster.Hosting.Inputs;
using Cluster.Jobs;
using Cluster.Processes;
using Cluster.Worker.Bundles;
using Cluster.Worker.Execution;
using Cluster.Worker.Hosting;
using Cluster.Worker.Reporting;
using Cluster.Worker.Session;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace Cluster.Worker.Connection;

/// <summary>
/// Keeps the worker joined: dials the coordinator, joins, serves the session until it ends, and joins again,
/// backing off with jitter while the coordinator is unreachable. On shutdown it drains the current session.
/// </summary>
internal sealed partial class WorkerAgent : BackgroundService
{
    private readonly WorkerOptions _options;
    private readonly ComputePool _pool;
    private readonly JobKindCatalog _kinds;
    private readonly TimeProvider _time;
    private readonly ILogger<WorkerAgent> _logger;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly GrpcChannel _channel;
    private readonly CallInvoker _invoker;
    private readonly ResiliencePipeline _joinPipeline;
    private readonly CarriedResults _carried = new();
    private readonly WorkerBundles _bundles;
    private readonly HttpInputSource _http;
    private CoordinatorSession? _session;
    private volatile bool _stopping;

    public WorkerAgent(
        IOptions<WorkerOptions> options,
        ComputePool pool,
        JobKindCatalog kinds,
        HttpInputSource http,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILogger<WorkerAgent> logger)
    {
        _options = options.Value;
        _pool = pool;
        _kinds = kinds;
        _http = http;
        _time = time;
        _lifetime = lifetime;
        _logger = logger;
        _channel = CoordinatorChannel.Create(_options);
        var token = BearerToken.Read(_options.TokenFile);
        _invoker = token is null
            ? _channel.CreateCallInvoker()
            : _channel.Intercept(metadata =>
            {
                metadata.Add(BearerToken.MetadataKey, BearerToken.HeaderValue(token));
                return metadata;
            });
        _bundles = new WorkerBundles(_options, new BundleService.BundleServiceClient(_invoker), time, logger);
        _joinPipeline = JoinPipeline.Create(_options, time, logger);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        if (_session is { } session)
        {
            try
            {
                await session.DrainAsync("worker shutting down", _options.DrainTimeout).WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or RpcException or InvalidOperationException)
            {
                LogDrainCut(_logger, ex.Message);
            }
        }

        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _channel.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await CoordinatorProbe.WaitForListenerAsync(_options, _time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested && !_stopping)
            {
                await using var session = await _joinPipeline.ExecuteAsync(JoinAsync, stoppingToken);
                _session = session;
                try
                {
                    await session.RunAsync();
                    LogSessionEnded(_logger, "the coordinator closed the stream");
                }
                catch (Exception ex) when ((ex is RpcException or IOException or OperationCanceledException) && !stoppingToken.IsCancellationRequested && !_stopping)
                {
                    LogSessionEnded(_logger, ex.Message);
                }
                finally
                {
                    _session = null;
                }
            }
        }
        catch (Exception ex) when (_stopping || stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the drained session's stream ends however the coordinator closes it.
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                // A local, as CA1873 does not see the guard around a [LoggerMessage] call (dotnet/sdk#50893).
                var exceptionType = ex.GetType().Name;
                LogStoppedWith(_logger, exceptionType, ex.Message);
            }
        }
        catch (RpcException ex)
        {
            LogJoinRejected(_logger, ex.StatusCode, ex.Status.Detail, ex.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied
                ? " (this worker's token comes from --token-file or CLUSTER_TOKEN and needs the worker or admin role)"
                : string.Empty);
            Environment.ExitCode = 2;
            _lifetime.StopApplication();
        }
    }

    private async ValueTask<CoordinatorSession> JoinAsync(CancellationToken cancellationToken)
    {
        var client = new WorkerService.WorkerServiceClient(_invoker);
        var call = client.Connect(cancellationToken: cancellationToken);
        try
        {
            var join = new JoinRequest
            {
                WorkerId = _options.Id,
                Host = Environment.MachineName,
                Pid = Environment.ProcessId,
                Threads = _pool.Threads,
            };
            join.Kinds.AddRange(_kinds.All.Select(k => k.Name));
            await call.RequestStream.WriteAsync(new WorkerMessage { Join = join }, cancellationToken);

            using var timeout = new CancellationTokenSource(_options.JoinTimeout, _time);
            using var joinWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            if (!await call.ResponseStream.MoveNext(joinWait.Token) || call.ResponseStream.Current.PayloadCase != CoordinatorMessage.PayloadOneofCase.JoinAccepted)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "The coordinator did not accept the join."));
            }

            var accepted = call.ResponseStream.Current.JoinAccepted;
            var spool = LocalSpool.Prove(accepted.LocalProbePath, _options.LocalReads, _logger, out var proof);
            if (proof is not null)
            {
                // Before the session's writer starts: this stream has no other writer yet.
                await call.RequestStream.WriteAsync(new WorkerMessage { LocalReadProof = proof }, cancellationToken);
            }

            LogJoined(_logger, _options.Id, _options.Coordinator, accepted.SessionId);
            await Console.Out.WriteLineAsync(Announcements.Joined + _options.Id);
            await Console.Out.FlushAsync(cancellationToken);
            return new CoordinatorSession(call, accepted, _pool, new ExecutorCache(_kinds, _bundles, _http, _logger), _time, _logger, _carried, spool, cancellationToken);
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Joined coordinator {Coordinator} as {WorkerId} (session {SessionId})")]
    private static partial void LogJoined(ILogger logger, string workerId, string coordinator, string sessionId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Session with the coordinator ended: {Reason}; joining again")]
    private static partial void LogSessionEnded(ILogger logger, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "The coordinator refused this worker ({Code}): {Reason}{Hint}; exiting")]
    private static partial void LogJoinRejected(ILogger logger, StatusCode code, string reason, string hint);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Debug, Message = "Session ended during shutdown: {ExceptionType}: {Reason}")]
    private static partial void LogStoppedWith(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Drain cut short: {Reason}")]
    private static partial void LogDrainCut(ILogger logger, string reason);
}
