using Cluster.Contracts.V1;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Limits;
using Cluster.Coordinator.Membership;
using JobState = Cluster.Coordinator.Jobs.JobState;

namespace Cluster.Tests.Coordinator.Limits;

public sealed class ForgedResultTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static CoordinatorOptions OneInFlight => new() { InFlightPerThread = 1, InFlightPerThreadForTinyChunks = 1 };

    [Fact]
    public async Task Apply_ResultForAnotherWorkersAttempt_ForgedNothingMergedAndEventRecorded()
    {
        var host = new CoordinatorTestHost();
        var owner = host.AddWorker("owner", 1);
        var forger = host.AddWorker("forger", 1);
        var job = await host.SubmitSquaresAsync(1);
        var a = host.Take(owner).Single();

        var ex = Assert.Throws<WorkerProtocolException>(() => host.Answer(forger, CoordinatorTestHost.Success(a)));

        Assert.True(ex.Forged);
        Assert.Contains("was never assigned to worker forger", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, job.ChunksDone);
        Assert.Equal(0, job.Counters.StaleResults);
        Assert.Contains(job.RecentEvents, e => e.Text.Contains("forged result", StringComparison.Ordinal));
        host.Answer(owner, CoordinatorTestHost.Success(a));
        Assert.Equal(JobState.Succeeded, job.State);
    }

    [Fact]
    public async Task Apply_ResultForChunkNeverAssigned_Forged()
    {
        var host = new CoordinatorTestHost(OneInFlight);
        var worker = host.AddWorker("w", 1);
        var job = await host.SubmitSquaresAsync(3);
        var a = host.Take(worker).Single();
        var never = new ChunkResult { JobId = job.Id, ChunkIndex = 2, Attempt = 1, Output = CoordinatorTestHost.Success(a).Output };

        var ex = Assert.Throws<WorkerProtocolException>(() => host.Answer(worker, never));

        Assert.True(ex.Forged);
        Assert.Equal(0, job.ChunksDone);
    }

    [Fact]
    public async Task Apply_LateResultOfAttemptHeldUnderEarlierSession_CountedStaleNotForged()
    {
        var host = new CoordinatorTestHost();
        var first = host.AddWorker("w", 1);
        var job = await host.SubmitSquaresAsync(1);
        var a = host.Take(first).Single();
        host.Departure.Leave(first);
        host.Registry.Remove(first);
        var rejoined = new WorkerSession(new WorkerJoin("w", "test", 1, 1), "w-session-2", host.Time);
        host.Registry.Add(rejoined);
        host.Scheduler.AddSession(rejoined);

        host.Answer(rejoined, CoordinatorTestHost.Success(a));

        Assert.Equal(1, job.Counters.StaleResults);
        Assert.Equal(0, job.ChunksDone);
    }

    [Fact]
    public void Apply_ResultOfUnknownJob_CountedStaleNotForged()
    {
        var host = new CoordinatorTestHost();
        var worker = host.AddWorker("w", 1);

        host.Answer(worker, new ChunkResult { JobId = new string('a', 32), ChunkIndex = 0, Attempt = 1, Released = true });

        Assert.Single(host.Registry.Connected);
    }

    [Fact]
    public async Task RunAsync_ForgedResult_DisconnectedAndItsAttemptsRunElsewhere()
    {
        var host = new CoordinatorTestHost(OneInFlight);
        var job = await host.SubmitSquaresAsync(2);
        var stream = new FakeWorkerStream();
        var run = host.RunSessionAsync("forger", 1, stream);
        await stream.Responses.NextAsync();
        var held = (await stream.Responses.NextAsync()).Assignments.Chunks.Single();
        var otherChunk = 1 - held.ChunkIndex;

        _ = stream.Requests.SendResultsAsync(new ChunkResult { JobId = job.Id, ChunkIndex = otherChunk, Attempt = 1, Output = Google.Protobuf.ByteString.CopyFrom(BitConverter.GetBytes(-1L)) });
        var ex = await Assert.ThrowsAsync<WorkerProtocolException>(() => run.WaitAsync(Deadline));
        var honest = host.AddWorker("honest", 2);
        var taken = host.Take(honest);
        host.Answer(honest, [.. taken.Select(CoordinatorTestHost.Success)]);

        Assert.True(ex.Forged);
        Assert.StartsWith("disconnected: results: job", host.Registry.Departed.Single().DepartureReason, StringComparison.Ordinal);
        Assert.Equal(2, taken.Count);
        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal($"{{\"sum\":{SquaresKind.Expected(2)}}}", job.Output!.SummaryJson);
    }
}
