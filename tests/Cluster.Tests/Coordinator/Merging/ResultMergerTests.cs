using Cluster.Coordinator.Jobs;

namespace Cluster.Tests.Coordinator.Merging;

public sealed class ResultMergerTests
{
    [Fact]
    public async Task Apply_EveryChunkAnswered_JobSucceedsWithIndependentSum()
    {
        var host = new CoordinatorTestHost();
        var a = host.AddWorker("a", 2);
        var b = host.AddWorker("b", 1);
        var job = await host.SubmitSquaresAsync(50);

        for (var round = 0; round < 100 && !job.IsFinal; round++)
        {
            // Answer in reverse order to show the result does not depend on arrival order.
            foreach (var worker in new[] { a, b })
            {
                var taken = host.Take(worker);
                taken.Reverse();
                host.Answer(worker, [.. taken.Select(CoordinatorTestHost.Success)]);
            }
        }

        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal($"{{\"sum\":{SquaresKind.Expected(50)}}}", job.Output!.SummaryJson);
        Assert.Equal(50, job.ChunksDone);
    }
}
