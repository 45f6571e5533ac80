using System.Buffers.Binary;
using Cluster.Contracts.V1;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Submission;
using Cluster.Jobs.BuiltIn.Sha256;

namespace Cluster.Tests.Coordinator.LocalReads;

/// <summary>
/// The decision of local reads: which sessions get a chunk as a range of the spool (only one that sent the probe's
/// token back, and only a chunk's first attempt), and the range they get: the payload header plus those spool bytes
/// is the payload a remote worker gets.
/// </summary>
public sealed class LocalSlicesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly byte[] Data = [.. Enumerable.Range(1, 10).Select(i => (byte)(i * 7))];

    [Fact]
    public async Task RunAsync_WorkerSentTheProbeToken_FirstAttemptsAreSpoolRangesRetriesBytes()
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 3 }, moreKinds: [new Sha256Kind()]);
        var stream = new FakeWorkerStream();
        var run = host.RunSessionAsync("w", 1, stream);
        var accepted = (await stream.Responses.NextAsync()).JoinAccepted;
        await stream.Requests.SendAsync(new WorkerMessage { LocalReadProof = new LocalReadProof { Token = await File.ReadAllTextAsync(accepted.LocalProbePath) } });

        await host.Submitter.SubmitAsync(Sha256(), Pieces(Data), CancellationToken.None);
        var first = (await stream.Responses.NextAsync()).Assignments;

        Assert.Equal([0L, 1L, 2L], first.Chunks.Select(c => c.ChunkIndex));
        Assert.Empty(first.Jobs[0].InputUrl);
        foreach (var chunk in first.Chunks)
        {
            var slice = chunk.LocalSlice;
            Assert.NotNull(slice);
            Assert.Equal(chunk.ChunkIndex * 4, BinaryPrimitives.ReadInt64LittleEndian(chunk.Payload.Span));
            Assert.Equal(8, chunk.Payload.Length);
            Assert.Equal(chunk.ChunkIndex * 4, slice.Offset);
            Assert.Equal(Math.Min(4, Data.Length - slice.Offset), slice.Length);
            Assert.Equal(Data.AsSpan((int)slice.Offset, (int)slice.Length).ToArray(), await ReadAsync(slice));
        }

        // The first attempt failed (say the spool read did): the retry carries the bytes.
        await stream.Requests.SendResultsAsync(Failure(first.Chunks[1]));
        var retry = Assert.Single((await stream.Responses.NextAsync()).Assignments.Chunks);
        Assert.Equal((1L, 2), (retry.ChunkIndex, retry.Attempt));
        Assert.Null(retry.LocalSlice);
        Assert.Equal(Data.AsSpan(4, 4).ToArray(), retry.Payload.Span[8..].ToArray());
        stream.Requests.Complete();
        await run.WaitAsync(Deadline);
    }

    [Theory]
    [InlineData(true, "not the token")]
    [InlineData(true, "")]
    [InlineData(false, "")]
    public async Task RunAsync_NoProofOrLocalReadsOff_ChunksCarryTheirBytes(bool localReads, string token)
    {
        var host = new CoordinatorTestHost(new CoordinatorOptions { InFlightPerThread = 3, LocalReads = localReads }, moreKinds: [new Sha256Kind()]);
        var stream = new FakeWorkerStream();
        var run = host.RunSessionAsync("w", 1, stream);
        var accepted = (await stream.Responses.NextAsync()).JoinAccepted;
        Assert.Equal(localReads, accepted.LocalProbePath.Length > 0);

        await stream.Requests.SendAsync(new WorkerMessage { LocalReadProof = new LocalReadProof { Token = token, Error = "cannot read it" } });
        await host.Submitter.SubmitAsync(Sha256(), Pieces(Data), CancellationToken.None);
        var first = (await stream.Responses.NextAsync()).Assignments;

        Assert.Equal(3, first.Chunks.Count);
        Assert.All(first.Chunks, c => Assert.Null(c.LocalSlice));
        Assert.Equal(Data, first.Chunks.SelectMany(c => c.Payload.Span[8..].ToArray()).ToArray());
        stream.Requests.Complete();
        await run.WaitAsync(Deadline);
    }

    private static async Task<byte[]> ReadAsync(LocalSlice slice)
    {
        await using var file = new FileStream(slice.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[slice.Length];
        file.Position = slice.Offset;
        await file.ReadExactlyAsync(bytes);
        return bytes;
    }

    private static ChunkResult Failure(ChunkAssignment a) => new()
    {
        JobId = a.JobId,
        ChunkIndex = a.ChunkIndex,
        Attempt = a.Attempt,
        Failure = new ChunkFailure { ExceptionType = "System.IO.IOException", Message = "spool gone", StackTrace = "at Test()" },
    };

    private static JobSubmission Sha256() =>
        new("sha256", string.Empty, 0, 0, 0, new Dictionary<string, object?>(StringComparer.Ordinal) { ["block-size"] = 4L }) { InputLength = Data.Length };

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Pieces(params byte[][] pieces)
    {
        foreach (var piece in pieces)
        {
            await Task.Yield();
            yield return piece;
        }
    }
}
