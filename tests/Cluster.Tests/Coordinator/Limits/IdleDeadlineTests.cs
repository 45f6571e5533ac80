using Cluster.Coordinator.Limits;
using Cluster.Tests.Fakes;

namespace Cluster.Tests.Coordinator.Limits;

public sealed class IdleDeadlineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Token_SilentPastTimeout_CancelledAndExpired()
    {
        var time = new SignallingTimeProvider();
        using var deadline = new IdleDeadline(Timeout, time, CancellationToken.None);

        time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(deadline.Token.IsCancellationRequested);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.True(deadline.Expired);
    }

    [Fact]
    public void Reset_MessageArrived_SilenceStartsOver()
    {
        var time = new SignallingTimeProvider();
        using var deadline = new IdleDeadline(Timeout, time, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(20));
        deadline.Reset();
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(deadline.Token.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(deadline.Expired);
    }

    [Fact]
    public async Task Token_OuterCancelled_CancelledButNotExpired()
    {
        var time = new SignallingTimeProvider();
        using var outer = new CancellationTokenSource();
        using var deadline = new IdleDeadline(Timeout, time, outer.Token);

        await outer.CancelAsync();

        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.False(deadline.Expired);
    }

    [Fact]
    public void Stop_UploadComplete_NeverExpires()
    {
        var time = new SignallingTimeProvider();
        using var deadline = new IdleDeadline(Timeout, time, CancellationToken.None);

        deadline.Stop();
        deadline.Reset();
        time.Advance(Timeout * 10);

        Assert.False(deadline.Token.IsCancellationRequested);
        Assert.False(deadline.Expired);
    }
}
