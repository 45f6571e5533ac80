using System.Collections.Concurrent;
using Cluster.Coordinator.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Membership;

/// <summary>
/// A circuit breaker per worker id, kept apart from per-chunk failure counts: a worker whose failed chunks keep
/// succeeding elsewhere is the problem, not the chunks, so it is quarantined (given no work) for a while, then
/// trusted again on probation, like a half-open breaker. Reaching the threshold again re-opens it.
/// </summary>
internal sealed partial class WorkerHealth(IOptions<CoordinatorOptions> options, TimeProvider time, ILogger<WorkerHealth> logger)
{
    private readonly ConcurrentDictionary<string, Breaker> _breakers = new(StringComparer.Ordinal);
    private readonly int _threshold = options.Value.QuarantineAfterFailures;
    private readonly TimeSpan _window = options.Value.QuarantineWindow;
    private readonly TimeSpan _duration = options.Value.QuarantineDuration;

    /// <summary>A chunk that failed on <paramref name="workerId"/> succeeded on another worker.</summary>
    /// <returns><see langword="true"/> when this opened the breaker.</returns>
    public bool RecordFailureThatSucceededElsewhere(string workerId)
    {
        var breaker = _breakers.GetOrAdd(workerId, _ => new Breaker());
        var now = time.GetUtcNow();
        lock (breaker)
        {
            breaker.Failures.Enqueue(now);
            while (breaker.Failures.TryPeek(out var oldest) && now - oldest > _window)
            {
                breaker.Failures.Dequeue();
            }

            if (breaker.Failures.Count < _threshold || breaker.OpenUntil > now)
            {
                return false;
            }

            breaker.OpenUntil = now + _duration;
            breaker.Failures.Clear();
        }

        LogQuarantined(logger, workerId, (long)_duration.TotalSeconds);
        return true;
    }

    /// <summary>When the worker's quarantine ends, or <see langword="null"/> when it is trusted.</summary>
    public DateTimeOffset? QuarantinedUntil(string workerId)
    {
        if (!_breakers.TryGetValue(workerId, out var breaker))
        {
            return null;
        }

        lock (breaker)
        {
            return breaker.OpenUntil > time.GetUtcNow() ? breaker.OpenUntil : null;
        }
    }

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Worker {WorkerId} quarantined for {Seconds} s: chunks that fail on it succeed elsewhere")]
    private static partial void LogQuarantined(ILogger logger, string workerId, long seconds);

    private sealed class Breaker
    {
        public Queue<DateTimeOffset> Failures { get; } = new();

        public DateTimeOffset OpenUntil { get; set; }
    }
}
