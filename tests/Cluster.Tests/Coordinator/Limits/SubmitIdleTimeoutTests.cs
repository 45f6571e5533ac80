using System.Runtime.CompilerServices;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Limits;
using Cluster.Coordinator.Submission;
using Cluster.Jobs;
using Cluster.Tests.Hosting.Inputs;
using Microsoft.Extensions.Logging.Abstractions;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace Cluster.Tests.Coordinator.Limits;

public sealed class SubmitIdleTimeoutTests : IDisposable
{
    private readonly string _spool = Path.Combine(Path.GetTempPath(), "cluster-limits-test-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task SubmitAsync_InputStopsPastIdleTimeout_CancelledAndSpoolDeleted()
    {
        var options = new CoordinatorOptions { SpoolDirectory = _spool };
        var host = new CoordinatorTestHost(options);
        var submitter = new JobSubmitter(new JobKindCatalog([new InputKind()]), host.Bundles, host.Store, host.Scheduler, host.Journal, host.Uploads, host.Spool, TestHttpInput.Default, OptionsFactory.Create(options), host.Time, NullLogger<JobSubmitter>.Instance);
        using var idle = new IdleDeadline(TimeSpan.FromSeconds(30), host.Time, CancellationToken.None);
        var firstPieceSpooled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var submission = new JobSubmission("input", string.Empty, 0, 0, 0, new Dictionary<string, object?>(StringComparer.Ordinal));

        var submit = submitter.SubmitAsync(submission, Stalling(firstPieceSpooled, idle.Token), idle.Token);
        await firstPieceSpooled.Task.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System);
        Assert.Single(Directory.GetFiles(_spool));
        host.Time.Advance(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => submit.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System));
        Assert.True(idle.Expired);
        Assert.Empty(Directory.GetFiles(_spool));
        Assert.Empty(host.Store.List(10));
    }

    public void Dispose()
    {
        if (Directory.Exists(_spool))
        {
            Directory.Delete(_spool, recursive: true);
        }
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Stalling(TaskCompletionSource firstPieceSpooled, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return "first piece"u8.ToArray();

        // Asked for the next piece: the first is on disk. Then the client goes silent.
        firstPieceSpooled.TrySetResult();
        await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
        yield break;
    }

    private sealed class InputKind : IJobKind
    {
        public string Name => "input";

        public string Description => "Reads input (limits tests only)";

        public IReadOnlyList<ParameterSpec> Parameters => [];

        public bool TakesInput => true;

        public IJobPlan Plan(JobPlanContext context) => throw new NotSupportedException("The upload never completes.");

        public IChunkExecutor CreateExecutor(JobParameters parameters) => throw new NotSupportedException("Never run.");
    }
}
