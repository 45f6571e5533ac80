namespace Cluster.Coordinator.Limits;

/// <summary>
/// A token that is cancelled once a stream has been silent for longer than its idle timeout, on the injected clock;
/// <see cref="Reset"/> on every message received. A slow-loris stream (one that stops sending) is thereby cancelled.
/// </summary>
internal sealed class IdleDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly ITimer _timer;
    private int _expired;
    private int _stopped;

    public IdleDeadline(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        Timeout = timeout;
        _source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _timer = time.CreateTimer(static state => ((IdleDeadline)state!).Expire(), this, timeout, System.Threading.Timeout.InfiniteTimeSpan);
    }

    public TimeSpan Timeout { get; }

    /// <summary>Cancelled when the stream went silent too long, or the outer token was.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Whether the token was cancelled because the stream went silent (not by the outer token).</summary>
    public bool Expired => Volatile.Read(ref _expired) == 1;

    /// <summary>A message arrived: the silence starts over.</summary>
    public void Reset()
    {
        if (!Expired && Volatile.Read(ref _stopped) == 0)
        {
            _timer.Change(Timeout, System.Threading.Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The stream has sent everything: silence from now on is not idleness (planning a large input may take long).</summary>
    public void Stop()
    {
        Volatile.Write(ref _stopped, 1);
        _timer.Change(System.Threading.Timeout.InfiniteTimeSpan, System.Threading.Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        _timer.Dispose();
        _source.Dispose();
    }

    private void Expire()
    {
        if (Interlocked.Exchange(ref _expired, 1) == 0)
        {
            try
            {
                _source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The stream ended as the timer fired: nothing is left to cancel.
            }
        }
    }
}
