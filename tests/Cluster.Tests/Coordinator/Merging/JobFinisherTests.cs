using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Membership;

namespace Cluster.Tests.Coordinator.Merging;

public sealed class JobFinisherTests
{
    [Fact]
    public async Task Cancel_RunningJob_TellsWorkersAndDropsQueue()
    {
        var host = new CoordinatorTestHost();
        var worker = host.AddWorker("w", 1);
        var job = await host.SubmitSquaresAsync(10);
        var held = host.Take(worker);
        worker.MarkJobKnown(job.Id);

        Assert.True(host.Finisher.Cancel(job, "test"));

        Assert.Equal(JobState.Cancelled, job.State);
        Assert.True(worker.TryDequeueControl(out var cancel));
        Assert.Equal(held.Count, Assert.IsType<CancelAttempts>(cancel).Attempts.Count);
        Assert.True(worker.TryDequeueControl(out var closed));
        Assert.Equal(job.Id, Assert.IsType<CloseJob>(closed).JobId);
        Assert.Empty(host.Take(worker));
        Assert.Equal(0, host.Ledger.InFlight(worker));
    }
}
