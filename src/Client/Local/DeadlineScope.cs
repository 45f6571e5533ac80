namespace Cluster.Client.Local;

/// <summary>A token cancelled by the caller or when a timeout measured on a <see cref="TimeProvider"/> elapses.</summary>
internal sealed class DeadlineScope : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;

    public DeadlineScope(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        _timer = new CancellationTokenSource(timeout, timeProvider);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(_timer.Token, cancellationToken);
    }

    public CancellationToken Token => _linked.Token;

    /// <summary>Whether the timeout (rather than the caller) ended the wait.</summary>
    public bool TimedOut => _timer.IsCancellationRequested;

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}
