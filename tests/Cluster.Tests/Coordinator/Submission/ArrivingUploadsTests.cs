using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Scheduling;
using Cluster.Coordinator.Submission;
using Cluster.Jobs;
using Cluster.Jobs.BuiltIn.Sha256;

namespace Cluster.Tests.Coordinator.Submission;

/// <summary>A job accepted with its declared input length: planned at once, its chunks released as their bytes arrive.</summary>
public sealed class ArrivingUploadsTests
{
    private static readonly byte[] Data = [.. Enumerable.Range(1, 10).Select(i => (byte)i)];

    [Fact]
    public async Task SubmitAsync_DeclaredLength_DispatchesEachBlockOnceItsBytesArrived()
    {
        var host = new CoordinatorTestHost(moreKinds: [new Sha256Kind()]);
        var session = host.AddWorker("w1", threads: 4);
        var seen = new List<(long Released, long[] Taken)>();

        // Each time the submitter asks for the next piece, the previous one is spooled and its chunks released.
        async IAsyncEnumerable<ReadOnlyMemory<byte>> Pieces()
        {
            foreach (var piece in new[] { Data[..3], Data[3..8], Data[8..] })
            {
                if (host.Store.All.SingleOrDefault() is { } job)
                {
                    var taken = new List<Assignment>();
                    host.Scheduler.TakeWork(session, taken);
                    seen.Add((job.Queue.Released, [.. taken.Select(a => a.Chunk)]));
                }

                yield return piece;
                await Task.Yield();
            }
        }

        var job = await host.Submitter.SubmitAsync(Sha256(declared: 10), Pieces(), CancellationToken.None);

        // Accepted before the first piece (the job is in the store); nothing after 3 bytes; blocks 0 and 1 after 8.
        Assert.Equal([(0L, Array.Empty<long>()), (0L, Array.Empty<long>()), (2L, new long[] { 0, 1 })], seen.Select(s => (s.Released, s.Taken)).ToList(), new SeenComparer());
        Assert.Equal(3, job.Queue.Released);
        Assert.Equal(10, job.InputBytes);
        Assert.False(job.IsFinal);
        var rest = new List<Assignment>();
        host.Scheduler.TakeWork(session, rest);
        Assert.Equal([2L], rest.Select(a => a.Chunk));
    }

    [Theory]
    [InlineData(9, "input_length must be the bytes uploaded: 9 were declared, but the upload carried more")]
    [InlineData(11, "input_length must be the bytes uploaded: 11 were declared, but the upload ended after 10")]
    public async Task SubmitAsync_StreamNotTheDeclaredLength_InputLengthRejectedAndJobFailed(long declared, string rule)
    {
        var host = new CoordinatorTestHost(moreKinds: [new Sha256Kind()]);

        var ex = await Assert.ThrowsAsync<JobParameterException>(() => host.Submitter.SubmitAsync(Sha256(declared), Pieces(Data[..5], Data[5..]), CancellationToken.None));

        Assert.Equal("input_length", ex.Field);
        Assert.Contains(rule, ex.Message, StringComparison.Ordinal);
        var job = host.Store.All.Single();
        Assert.Equal(JobState.Failed, job.State);
        Assert.Contains(rule, job.Error, StringComparison.Ordinal);
        Assert.EndsWith("resubmit the job.", job.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_StreamCut_JobFailsWithTheResubmitSentence()
    {
        var host = new CoordinatorTestHost(moreKinds: [new Sha256Kind()]);

        async IAsyncEnumerable<ReadOnlyMemory<byte>> Cut()
        {
            yield return Data.AsMemory(0, 4);
            await Task.Yield();
            throw new IOException("the client went away");
        }

        await Assert.ThrowsAsync<IOException>(() => host.Submitter.SubmitAsync(Sha256(declared: 10), Cut(), CancellationToken.None));

        var job = host.Store.All.Single();
        Assert.Equal(JobState.Failed, job.State);
        Assert.Equal("Its input upload stopped after 4 of the 10 bytes declared (IOException: the client went away): resubmit the job.", job.Error);
    }

    [Fact]
    public async Task SubmitAsync_JobCancelledWhileUploading_RestIgnoredAndCancelledJobReturned()
    {
        var host = new CoordinatorTestHost(moreKinds: [new Sha256Kind()]);

        async IAsyncEnumerable<ReadOnlyMemory<byte>> CancelledHalfway()
        {
            yield return Data.AsMemory(0, 4);
            await Task.Yield();
            Assert.True(host.Finisher.Cancel(host.Store.All.Single(), "cancelled by the test"));
            yield return Data.AsMemory(4);
        }

        var job = await host.Submitter.SubmitAsync(Sha256(declared: 10), CancelledHalfway(), CancellationToken.None);

        Assert.Equal(JobState.Cancelled, job.State);
        Assert.Equal("cancelled by the test", job.Error);
    }

    [Fact]
    public async Task SubmitAsync_DeclaredLengthAboveTheLimit_TooLargeBeforeAnyByte()
    {
        var host = new CoordinatorTestHost(new Cluster.Coordinator.Hosting.CoordinatorOptions { MaxInputBytes = 8 }, moreKinds: [new Sha256Kind()]);

        await Assert.ThrowsAsync<InputTooLargeException>(() => host.Submitter.SubmitAsync(Sha256(declared: 10), Pieces(Data), CancellationToken.None));

        Assert.Empty(host.Store.All);
    }

    private static JobSubmission Sha256(long declared) =>
        new("sha256", string.Empty, 0, 0, 0, new Dictionary<string, object?>(StringComparer.Ordinal) { ["block-size"] = 4L }) { InputLength = declared };

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Pieces(params byte[][] pieces)
    {
        foreach (var piece in pieces)
        {
            yield return piece;
            await Task.Yield();
        }
    }

    private sealed class SeenComparer : IEqualityComparer<(long Released, long[] Taken)>
    {
        public bool Equals((long Released, long[] Taken) x, (long Released, long[] Taken) y) => x.Released == y.Released && x.Taken.SequenceEqual(y.Taken);

        public int GetHashCode((long Released, long[] Taken) obj) => obj.Released.GetHashCode();
    }
}
