using Cluster.Contracts.V1;
using Cluster.Coordinator.Dispatch;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Submission;
using Google.Protobuf;
using JobState = Cluster.Coordinator.Jobs.JobState;

namespace Cluster.Tests.Coordinator.Dispatch;

public sealed class SendLoopTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_SecondBatchOfAJob_DefinitionSentOnlyWithTheFirst()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 2 });
        var job = await host.SubmitSquaresAsync(4);
        var stream = new FakeWorkerStream();
        var run = host.RunSessionAsync("w", 1, stream);
        await stream.Responses.NextAsync();

        var first = (await stream.Responses.NextAsync()).Assignments;
        await stream.Requests.SendResultsAsync([.. first.Chunks.Select(Success)]);
        var second = (await stream.Responses.NextAsync()).Assignments;

        var definition = Assert.Single(first.Jobs);
        Assert.Equal(job.Id, definition.JobId);
        Assert.Equal("squares", definition.Kind);
        Assert.Equal(4, definition.Parameters["n"].IntValue);
        Assert.Equal(2, first.Chunks.Count);
        Assert.Empty(second.Jobs);
        Assert.Equal(2, second.Chunks.Count);
        stream.Requests.Complete();
        await run.WaitAsync(Deadline);
    }

    [Fact]
    public async Task RunAsync_PayloadsPastTheByteLimit_BatchFlushedAndTheRestSentAfter()
    {
        const int PayloadBytes = AssignmentWriter.FlushBytes / 2;
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 2 });
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal) { ["n"] = 3L, ["bytes"] = (long)PayloadBytes };
        await host.Submitter.SubmitAsync(new JobSubmission("blocks", string.Empty, 0, 0, 0, parameters), AsyncEnumerable.Empty<ReadOnlyMemory<byte>>(), CancellationToken.None);
        var stream = new FakeWorkerStream();
        var run = host.RunSessionAsync("w", 2, stream);
        await stream.Responses.NextAsync();

        var first = (await stream.Responses.NextAsync()).Assignments;
        var second = (await stream.Responses.NextAsync()).Assignments;

        Assert.Single(first.Jobs);
        Assert.Equal([0L, 1L], first.Chunks.Select(c => c.ChunkIndex));
        Assert.Empty(second.Jobs);
        Assert.Equal(2L, Assert.Single(second.Chunks).ChunkIndex);
        Assert.All(first.Chunks.Concat(second.Chunks), c =>
        {
            Assert.Equal(PayloadBytes, c.Payload.Length);
            Assert.True(c.Payload.Span.IndexOfAnyExcept((byte)c.ChunkIndex) < 0);
        });
        stream.Requests.Complete();
        await run.WaitAsync(Deadline);
    }

    [Fact]
    public async Task RunAsync_JobCancelled_CancelsItsAttemptsThenClosesIt()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 2 });
        var job = await host.SubmitSquaresAsync(10);
        var stream = new FakeWorkerStream();
        var run = host.RunSessionAsync("w", 2, stream);
        await stream.Responses.NextAsync();
        var held = (await stream.Responses.NextAsync()).Assignments.Chunks;

        host.Finisher.Cancel(job, "test");
        var cancel = await stream.Responses.NextAsync();
        var closed = await stream.Responses.NextAsync();

        Assert.Equal(JobState.Cancelled, job.State);
        Assert.Equal(held.Select(c => (c.JobId, c.ChunkIndex, c.Attempt)), cancel.Cancel.Chunks.Select(c => (c.JobId, c.ChunkIndex, c.Attempt)));
        Assert.Equal(job.Id, closed.JobClosed.JobId);
        stream.Requests.Complete();
        await run.WaitAsync(Deadline);
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
