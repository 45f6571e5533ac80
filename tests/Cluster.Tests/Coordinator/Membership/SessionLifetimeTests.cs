using Cluster.Contracts.V1;
using Cluster.Coordinator.Hosting;
using Google.Protobuf;
using JobState = Cluster.Coordinator.Jobs.JobState;

namespace Cluster.Tests.Coordinator.Membership;

public sealed class SessionLifetimeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_WorkWaiting_JoinAcceptedWrittenFirstAndWorkerRegistered()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { HeartbeatInterval = TimeSpan.FromSeconds(2), Lease = TimeSpan.FromSeconds(7) });
        await host.SubmitSquaresAsync(2);
        var stream = new FakeWorkerStream();

        var run = host.RunSessionAsync("w", 2, stream);
        var first = await stream.Responses.NextAsync();
        var second = await stream.Responses.NextAsync();

        Assert.Equal(CoordinatorMessage.PayloadOneofCase.JoinAccepted, first.PayloadCase);
        Assert.Equal(2000, first.JoinAccepted.HeartbeatIntervalMs);
        Assert.Equal(7000, first.JoinAccepted.LeaseMs);
        Assert.NotEmpty(first.JoinAccepted.SessionId);
        Assert.Equal(CoordinatorMessage.PayloadOneofCase.Assignments, second.PayloadCase);
        Assert.Equal("w", host.Registry.Connected.Single().WorkerId);
        stream.Requests.Complete();
        await run.WaitAsync(Deadline);
    }

    [Fact]
    public async Task RunAsync_ResultsReceived_AppliedUntilTheJobSucceeds()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 2 });
        var job = await host.SubmitSquaresAsync(4);
        var stream = new FakeWorkerStream();
        var run = host.RunSessionAsync("w", 2, stream);
        await stream.Responses.NextAsync();
        var batch = (await stream.Responses.NextAsync()).Assignments;

        await stream.Requests.SendResultsAsync([.. batch.Chunks.Select(Success)]);
        await job.Completion.WaitAsync(Deadline);
        var closed = await stream.Responses.NextAsync();

        Assert.Equal(4, batch.Chunks.Count);
        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal($"{{\"sum\":{SquaresKind.Expected(4)}}}", job.Output!.SummaryJson);
        Assert.Equal(4, host.Registry.Connected.Single().Completed);
        Assert.Equal(job.Id, closed.JobClosed.JobId);
        stream.Requests.Complete();
        await run.WaitAsync(Deadline);
    }

    [Fact]
    public async Task RunAsync_Drain_NoNewWorkAndLeavesDrained()
    {
        var host = new CoordinatorTestHost();
        var stream = new FakeWorkerStream();
        var run = host.RunSessionAsync("w", 2, stream);
        await stream.Responses.NextAsync();

        await stream.Requests.SendAsync(new WorkerMessage { Drain = new DrainRequest { Reason = "SIGTERM" } });
        await host.SubmitSquaresAsync(3);
        var session = host.Registry.Connected.Single();

        Assert.True(session.Draining);
        Assert.Equal(0, host.Scheduler.TotalThreads);
        Assert.Empty(host.Take(session));
        stream.Requests.Complete();
        await run.WaitAsync(Deadline);
        Assert.False(stream.Responses.TryNext(out _));
        Assert.Equal("drained (SIGTERM)", host.Registry.Departed.Single().DepartureReason);
    }

    [Fact]
    public async Task RunAsync_StreamClosedWithChunksHeld_ChunksRunElsewhereUnderTheNextAttempt()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 2 });
        var job = await host.SubmitSquaresAsync(4);
        var stream = new FakeWorkerStream();
        var run = host.RunSessionAsync("a", 2, stream);
        await stream.Responses.NextAsync();
        var held = (await stream.Responses.NextAsync()).Assignments.Chunks;

        stream.Requests.Complete();
        await run.WaitAsync(Deadline);
        var retried = host.Take(host.AddWorker("b", 2));

        Assert.Equal("stream closed by the worker", host.Registry.Departed.Single().DepartureReason);
        Assert.Equal(4, job.Counters.LostAttempts);
        Assert.Equal(held.Select(c => c.ChunkIndex).Order(), retried.Select(a => a.Chunk).Order());
        Assert.All(retried, a => Assert.Equal(2, a.Attempt));
    }

    [Fact]
    public async Task RunAsync_SendFails_SessionEndsAndItsChunksRunElsewhere()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 2 });
        var job = await host.SubmitSquaresAsync(4);
        var stream = new FakeWorkerStream();
        stream.Responses.FailWhen = m => m.PayloadCase == CoordinatorMessage.PayloadOneofCase.Assignments;

        var run = host.RunSessionAsync("w", 2, stream);

        // The worker never closes its side: the failed send alone must end the session.
        await run.WaitAsync(Deadline);
        Assert.StartsWith("sending to the worker failed: IOException", host.Registry.Departed.Single().DepartureReason, StringComparison.Ordinal);
        Assert.Equal(4, job.Counters.LostAttempts);
        Assert.Equal(0, job.Counters.ChunksRunning);
        Assert.Equal(4, host.Take(host.AddWorker("b", 2)).Count);
    }

    private static ChunkResult Success(ChunkAssignment a) => new()
    {
        JobId = a.JobId,
        ChunkIndex = a.ChunkIndex,
        Attempt = a.Attempt,
        Output = ByteString.CopyFrom(BitConverter.GetBytes(a.ChunkIndex * a.ChunkIndex)),
        ElapsedUs = 10,
    };
}
