using Cluster.Contracts.V1;
using Grpc.Core;
using Polly;
using Polly.Retry;

namespace Cluster.Client;

public sealed partial class ClusterClient
{
    /// <summary>Whether <paramref name="state"/> is final (succeeded, failed or cancelled).</summary>
    public static bool IsFinal(JobState state) => state is JobState.Succeeded or JobState.Failed or JobState.Cancelled;

    /// <summary>
    /// Follows a job until it reaches a final state and returns its last snapshot, reporting every snapshot to
    /// <paramref name="progress"/> as it arrives. A watch that breaks because the coordinator became unreachable is
    /// re-opened with exponential backoff and jitter, at most <see cref="ClusterClientOptions.WatchRetryAttempts"/> times in a row.
    /// </summary>
    /// <exception cref="ClusterException">The coordinator stayed unreachable, or rejected the watch (for example an unknown job id).</exception>
    public async Task<JobInfo> WaitForCompletionAsync(string jobId, IProgress<JobInfo>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        // A job id that worked before and is unknown after a reconnect was lost with the coordinator that had it.
        var seen = false;
        var pipeline = BuildWatchRetry(() => seen = true);
        var watched = new Progress(progress, () => seen = true);
        while (true)
        {
            JobInfo? final;
            try
            {
                final = await pipeline.ExecuteAsync(async ct => await WatchOnceAsync(jobId, watched, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
            catch (ClusterException e) when (seen && e.StatusCode == StatusCode.NotFound)
            {
                throw new ClusterException(
                    $"Job {jobId} was lost: the coordinator at {RpcErrors.Display(Address)} no longer knows it (it restarted, and jobs do not survive a restart yet).",
                    StatusCode.NotFound,
                    e);
            }

            if (final is not null)
            {
                return final;
            }
        }
    }

    /// <summary>Forwards snapshots and notes that the job was seen at least once.</summary>
    private sealed class Progress(IProgress<JobInfo>? inner, Action seen) : IProgress<JobInfo>
    {
        public void Report(JobInfo value)
        {
            seen();
            inner?.Report(value);
        }
    }

    /// <summary>One watch: the final snapshot, or null when the stream ended early and the job is still running.</summary>
    private async Task<JobInfo?> WatchOnceAsync(string jobId, IProgress<JobInfo>? progress, CancellationToken cancellationToken)
    {
        JobInfo? last = null;
        await foreach (var jobEvent in WatchAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            last = jobEvent.Job;
            progress?.Report(last);
            if (IsFinal(last.State))
            {
                return last;
            }
        }

        // The coordinator closed the stream without a final state (for example while shutting down): ask directly.
        last = await GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        progress?.Report(last);
        return IsFinal(last.State) ? last : null;
    }

    private ResiliencePipeline BuildWatchRetry(Action? onRetry = null, Func<ClusterException, bool>? retryWhen = null) =>
        new ResiliencePipelineBuilder { TimeProvider = _options.TimeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<ClusterException>(e => e.StatusCode == StatusCode.Unavailable && (retryWhen?.Invoke(e) ?? true)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxRetryAttempts = _options.WatchRetryAttempts,
                Delay = _options.WatchRetryDelay,
                MaxDelay = _options.WatchRetryMaxDelay,
                OnRetry = _ =>
                {
                    onRetry?.Invoke();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
