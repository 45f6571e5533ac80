using Grpc.Core;
using Polly;
using Polly.Retry;

namespace Cluster.Client;

public sealed partial class ClusterClient
{
    /// <summary>
    /// Makes a call that has the same effect however often it is sent (a read, a cancel): a failure because the
    /// coordinator was unavailable is retried <see cref="ClusterClientOptions.CallRetryAttempts"/> times with
    /// exponential backoff and jitter; a connection that disagrees on TLS is not, as trying again cannot help.
    /// Each attempt gets its own deadline from <paramref name="call"/>.
    /// </summary>
    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        await _callRetry.ExecuteAsync(
            async ct => await TranslateAsync(() => call(ct), ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);

    private ResiliencePipeline BuildCallRetry(Func<ClusterException, bool>? retryWhen = null) =>
        Retry(_options.CallRetryAttempts, _options.CallRetryDelay, _options.CallRetryMaxDelay, onRetry: null, e => !e.IsTransportMismatch && (retryWhen?.Invoke(e) ?? true));

    /// <summary>
    /// The retry of watches (and of submissions that never connected): every <c>Unavailable</c>, a connection closed
    /// as by a TLS coordinator too, since a coordinator killed mid-stream closes it the same way and comes back.
    /// </summary>
    private ResiliencePipeline BuildWatchRetry(Action? onRetry = null, Func<ClusterException, bool>? retryWhen = null) =>
        Retry(_options.WatchRetryAttempts, _options.WatchRetryDelay, _options.WatchRetryMaxDelay, onRetry, retryWhen);

    private ResiliencePipeline Retry(int attempts, TimeSpan delay, TimeSpan maxDelay, Action? onRetry, Func<ClusterException, bool>? retryWhen) =>
        attempts <= 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = _options.TimeProvider }
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<ClusterException>(
                        e => e.StatusCode == StatusCode.Unavailable && (retryWhen?.Invoke(e) ?? true)),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    MaxRetryAttempts = attempts,
                    Delay = delay,
                    MaxDelay = maxDelay,
                    OnRetry = _ =>
                    {
                        onRetry?.Invoke();
                        return ValueTask.CompletedTask;
                    },
                })
                .Build();
}
