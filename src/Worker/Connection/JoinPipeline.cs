using Cluster.Worker.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Cluster.Worker.Connection;

/// <summary>
/// The retries of a worker's join: every <see cref="WorkerOptions.StartJoinDelay"/> for the first
/// <see cref="WorkerOptions.StartJoinWindow"/> after the worker started (a coordinator started at the same moment, as
/// a local cluster does, is joined the moment it listens), then an exponential backoff with jitter up to
/// <see cref="WorkerOptions.ReconnectMaxDelay"/>. Errors that another try cannot mend (a refused token, a bad
/// argument) are not retried.
/// </summary>
internal static partial class JoinPipeline
{
    public static ResiliencePipeline Create(WorkerOptions options, TimeProvider time, ILogger logger)
    {
        var started = time.GetTimestamp();
        bool Starting() => time.GetElapsedTime(started) < options.StartJoinWindow;
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(IsTransient).Handle<IOException>().Handle<HttpRequestException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = options.ReconnectMaxDelay,
                MaxRetryAttempts = int.MaxValue,
                // Null: the exponential backoff above.
                DelayGenerator = _ => ValueTask.FromResult<TimeSpan?>(Starting() ? options.StartJoinDelay : null),
                OnRetry = args =>
                {
                    var error = args.Outcome.Exception?.Message ?? "no answer";
                    if (Starting())
                    {
                        // Expected while a coordinator started with this worker is not listening yet: not a warning.
                        LogStartJoinRetry(logger, options.Coordinator, args.AttemptNumber + 1, (long)args.RetryDelay.TotalMilliseconds, error);
                    }
                    else
                    {
                        LogJoinRetry(logger, options.Coordinator, args.AttemptNumber + 1, (long)args.RetryDelay.TotalMilliseconds, error);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    private static bool IsTransient(RpcException ex) =>
        ex.StatusCode is not (StatusCode.InvalidArgument or StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.Unimplemented);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Cannot join {Coordinator} (attempt {Attempt}); retrying in {DelayMs} ms: {Error}")]
    private static partial void LogJoinRetry(ILogger logger, string coordinator, int attempt, long delayMs, string error);

    [LoggerMessage(EventId = 8350, Level = LogLevel.Debug, Message = "Cannot join {Coordinator} yet (attempt {Attempt}, worker just started); retrying in {DelayMs} ms: {Error}")]
    private static partial void LogStartJoinRetry(ILogger logger, string coordinator, int attempt, long delayMs, string error);
}
