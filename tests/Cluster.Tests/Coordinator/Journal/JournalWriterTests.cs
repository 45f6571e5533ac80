using System.Threading.Channels;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Journal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace Cluster.Tests.Coordinator.Journal;

public sealed class JournalWriterTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RunAsync_CommitInterval_NextCommitWaitsForItOrAWake()
    {
        using var dir = new TempDataDir();
        using var journal = new CoordinatorJournal(OptionsFactory.Create(new CoordinatorOptions { DataDir = dir.Path }), NullLogger<CoordinatorJournal>.Instance);
        var time = new TimerWatchingTime();
        var writer = new JournalWriter(journal.Database!, journal.Directory!, time, NullLogger.Instance, (_, _) => { })
        {
            CommitInterval = TimeSpan.FromSeconds(1),
        };
        var records = Channel.CreateUnbounded<JournalRecord>();
        var run = writer.RunAsync(records.Reader);

        // The first commit goes at once; then the writer waits out the interval on its clock.
        await Committed(records, Flush()).WaitAsync(Bound);
        await time.NextTimer.WaitAsync(Bound);

        // Queued during the wait: nothing can commit it before the interval passes, as no wake came.
        var second = Flush();
        records.Writer.TryWrite(second);
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(second.Done.Task.IsCompleted, "committed before the interval passed");
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second.Done.Task.WaitAsync(Bound);

        // A wake (a flush asked for, the queue completed) ends the wait with no time passing.
        await time.NextTimer.WaitAsync(Bound);
        var third = Flush();
        records.Writer.TryWrite(third);
        writer.Wake();
        await third.Done.Task.WaitAsync(Bound);

        await time.NextTimer.WaitAsync(Bound);
        records.Writer.Complete();
        writer.Wake();
        await run.WaitAsync(Bound);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(61)]
    public void Validate_JournalCommitIntervalOutOfRange_FailsNamingSetting(int seconds)
    {
        var result = new CoordinatorOptionsValidator().Validate(null, new CoordinatorOptions { JournalCommitInterval = TimeSpan.FromSeconds(seconds) });

        Assert.True(result.Failed);
        Assert.Contains("Coordinator:JournalCommitInterval must be between 0 and 1 minute.", result.FailureMessage, StringComparison.Ordinal);
    }

    private static JournalRecord.Flush Flush() => new(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private static Task Committed(Channel<JournalRecord> records, JournalRecord.Flush flush)
    {
        records.Writer.TryWrite(flush);
        return flush.Done.Task;
    }

    /// <summary>Fake time that says when a timer is made: the writer has begun to wait out its interval.</summary>
    private sealed class TimerWatchingTime : FakeTimeProvider
    {
        private readonly Channel<bool> _timers = Channel.CreateUnbounded<bool>();

        public Task NextTimer => _timers.Reader.ReadAsync().AsTask();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timers.Writer.TryWrite(true);
            return timer;
        }
    }
}
