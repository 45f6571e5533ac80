using Microsoft.Extensions.Time.Testing;

namespace Cluster.Tests.Client.Local;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells when a timer is created: a test waits for the code under test to
/// start its delay before advancing the clock past it, instead of racing it.
/// </summary>
internal sealed class TimerSignallingTimeProvider : FakeTimeProvider
{
    private readonly SemaphoreSlim _created = new(0);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Release();
        return timer;
    }

    /// <summary>Waits (at most <paramref name="bound"/>) for the next timer not yet waited for.</summary>
    public async Task WaitForTimerAsync(TimeSpan bound) =>
        Assert.True(await _created.WaitAsync(bound), $"No timer was created within {bound}.");
}
