using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Cluster.Tests.Fakes;

/// <summary>
/// Fake time that tells when a timer was created: a test waits for the code under test to start its delay before
/// advancing the clock past it, instead of racing it.
/// </summary>
internal sealed class SignallingTimeProvider() : FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture))
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Completes with its due time when the next timer is created (or was, and not yet waited for).</summary>
    public async Task<TimeSpan> TimerCreatedAsync() => await _created.Reader.ReadAsync();

    /// <summary>Waits (at most <paramref name="bound"/>) for the next timer not yet waited for.</summary>
    public async Task WaitForTimerAsync(TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await _created.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Assert.Fail($"No timer was created within {bound}.");
        }
    }
}
