using System.Buffers;
using System.Diagnostics;
using Cluster.Jobs;
using Cluster.Jobs.BuiltIn.Diagnostics;
using Cluster.Jobs.InProcess;
using static Cluster.Tests.Jobs.BuiltIn.KindHarness;

namespace Cluster.Tests.Jobs.BuiltIn;

public sealed class SleepKindTests
{
    private const long OneHourMs = 3_600_000;

    private readonly SleepKind _kind = new();

    [Fact]
    public void Run_ZeroMs_ReportsChunksAndMs()
    {
        var summary = Summary(Run(_kind, Params(("ms", 0L)), new InProcessRunOptions { Threads = 2, Chunks = 6 }));

        Assert.Equal(6, summary.GetProperty("chunks").GetInt64());
        Assert.Equal(0, summary.GetProperty("ms").GetInt64());
    }

    [Fact]
    public void Run_ShortSleeps_TakeAtLeastTheirTime()
    {
        var stopwatch = Stopwatch.StartNew();

        Run(_kind, Params(("ms", 30L)), new InProcessRunOptions { Threads = 1, Chunks = 2 });

        Assert.True(stopwatch.ElapsedMilliseconds >= 55, $"two 30 ms chunks on one thread took {stopwatch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Execute_Cancelled_ReturnsPromptly()
    {
        var executor = _kind.CreateExecutor(JobParameters.Bind(_kind.Parameters, Params(("ms", OneHourMs))));
        using var cancellation = new CancellationTokenSource();
        var execution = Task.Run(() => executor.Execute(0, [], new ArrayBufferWriter<byte>(), cancellation.Token));

        cancellation.CancelAfter(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => execution.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Run_CancelledJob_StopsPromptly()
    {
        using var cancellation = new CancellationTokenSource();
        var run = Task.Run(() => InProcessJobRunner.Run(
            _kind, Params(("ms", OneHourMs)), options: new InProcessRunOptions { Threads = 2, Chunks = 4 }, cancellationToken: cancellation.Token));

        cancellation.CancelAfter(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(OneHourMs + 1)]
    public void Plan_MsOutOfRange_ThrowsNamingMs(long ms)
    {
        Assert.Equal("ms", Rejects(_kind, Params(("ms", ms))).Field);
    }

    [Fact]
    public void Plan_MissingMs_ThrowsNamingMs()
    {
        Assert.Equal("ms", Rejects(_kind, Params()).Field);
    }
}
