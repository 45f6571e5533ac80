using Cluster.Contracts.V1;
using Cluster.Coordinator.Limits;
using Google.Protobuf;
using JobState = Cluster.Coordinator.Jobs.JobState;

namespace Cluster.Tests.Coordinator.Limits;

public sealed class WorkerProtocolTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_SecondJoin_DisconnectedNamingTheRule()
    {
        var host = new CoordinatorTestHost();
        var stream = new FakeWorkerStream();
        var run = host.RunSessionAsync("w", 1, stream);
        await stream.Responses.NextAsync();

        _ = stream.Requests.SendAsync(new WorkerMessage { Join = new JoinRequest { WorkerId = "w", Threads = 1 } });
        var ex = await Assert.ThrowsAsync<WorkerProtocolException>(() => run.WaitAsync(Deadline));

        Assert.StartsWith("join: sent twice on one stream", ex.Message, StringComparison.Ordinal);
        Assert.Empty(host.Registry.Connected);
        Assert.StartsWith("disconnected: join: sent twice", host.Registry.Departed.Single().DepartureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ResultWithoutOutcome_DisconnectedAndChunkRunsElsewhere()
    {
        var host = new CoordinatorTestHost();
        var job = await host.SubmitSquaresAsync(1);
        var stream = new FakeWorkerStream();
        var run = host.RunSessionAsync("w", 1, stream);
        await stream.Responses.NextAsync();
        var assigned = (await stream.Responses.NextAsync()).Assignments.Chunks.Single();

        _ = stream.Requests.SendResultsAsync(new ChunkResult { JobId = assigned.JobId, ChunkIndex = assigned.ChunkIndex, Attempt = assigned.Attempt });
        var ex = await Assert.ThrowsAsync<WorkerProtocolException>(() => run.WaitAsync(Deadline));
        var other = host.AddWorker("other", 1);
        var retry = host.Take(other).Single();

        Assert.StartsWith("results[0].outcome: one of output, failure or released is required", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, retry.Attempt);
        host.Answer(other, CoordinatorTestHost.Success(retry));
        await job.Completion.WaitAsync(Deadline);
        Assert.Equal(JobState.Succeeded, job.State);
    }

    [Fact]
    public async Task RunAsync_NegativeElapsed_CountedAsZero()
    {
        var host = new CoordinatorTestHost();
        var job = await host.SubmitSquaresAsync(1);
        var stream = new FakeWorkerStream();
        var run = host.RunSessionAsync("w", 1, stream);
        await stream.Responses.NextAsync();
        var a = (await stream.Responses.NextAsync()).Assignments.Chunks.Single();

        await stream.Requests.SendResultsAsync(new ChunkResult
        {
            JobId = a.JobId,
            ChunkIndex = a.ChunkIndex,
            Attempt = a.Attempt,
            Output = ByteString.CopyFrom(BitConverter.GetBytes(0L)),
            ElapsedUs = long.MinValue,
        });
        await job.Completion.WaitAsync(Deadline);

        Assert.Equal(JobState.Succeeded, job.State);
        stream.Requests.Complete();
        await run.WaitAsync(Deadline);
    }
}
