using System.Runtime.CompilerServices;
using Cluster.Contracts.V1;
using Grpc.Core;

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
        JobInfo? last = null;
        await foreach (var snapshot in FollowAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(snapshot);
            last = snapshot;
        }

        return last ?? throw new InvalidOperationException("A followed job ended without a snapshot.");
    }

    /// <summary>
    /// A job's progress as it happens: one snapshot per event, the last one in a final state (then the sequence ends).
    /// Unlike <see cref="WatchAsync"/>, a watch that breaks because the coordinator became unreachable is re-opened
    /// with exponential backoff and jitter, at most <see cref="ClusterClientOptions.WatchRetryAttempts"/> times in a
    /// row, and a stream the coordinator closes early is followed by a snapshot and a new watch.
    /// </summary>
    /// <exception cref="ClusterException">The coordinator stayed unreachable, rejected the watch, or lost the job.</exception>
    public async IAsyncEnumerable<JobInfo> FollowAsync(string jobId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        var pipeline = BuildWatchRetry();
        var watch = new WatchCursor(this, jobId);
        try
        {
            // A job id that worked before and is unknown after a reconnect was lost with the coordinator that had it.
            var seen = false;
            while (true)
            {
                JobInfo next;
                try
                {
                    next = await pipeline.ExecuteAsync(watch.NextAsync, cancellationToken).ConfigureAwait(false);
                }
                catch (ClusterException e) when (seen && e.StatusCode == StatusCode.NotFound)
                {
                    throw new ClusterException(
                        $"Job {jobId} was lost: the coordinator at {RpcErrors.Display(Address)} no longer knows it (it restarted without a data directory, so its jobs did not survive).",
                        StatusCode.NotFound,
                        e);
                }

                seen = true;
                yield return next;
                if (IsFinal(next.State))
                {
                    yield break;
                }
            }
        }
        finally
        {
            await watch.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The open watch of <see cref="FollowAsync"/>: the next snapshot from it, opening one when there is none. A watch
    /// that fails is dropped (the retry opens a new one); one that ends early yields a snapshot from <c>GetJob</c>.
    /// </summary>
    private sealed class WatchCursor(ClusterClient client, string jobId) : IAsyncDisposable
    {
        private IAsyncEnumerator<JobEvent>? _events;

        public async ValueTask<JobInfo> NextAsync(CancellationToken cancellationToken)
        {
            try
            {
                _events ??= client.WatchAsync(jobId, cancellationToken).GetAsyncEnumerator(cancellationToken);
                if (await _events.MoveNextAsync().ConfigureAwait(false))
                {
                    return _events.Current.Job;
                }
            }
            catch
            {
                await DisposeAsync().ConfigureAwait(false);
                throw;
            }

            // The coordinator closed the stream without a final state (for example while shutting down): ask
            // directly, once (the retry around this call is the one that waits); a job still running is watched anew.
            await DisposeAsync().ConfigureAwait(false);
            return await client.TranslateAsync(
                () => client._service.GetJobAsync(new GetJobRequest { JobId = jobId }, client.Unary(cancellationToken)).ResponseAsync,
                cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            if (_events is not null)
            {
                var events = _events;
                _events = null;
                await events.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
