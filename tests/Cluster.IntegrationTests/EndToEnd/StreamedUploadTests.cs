using System.Security.Cryptography;
using Cluster.Client;
using Cluster.Contracts.V1;
using Cluster.IntegrationTests.Infrastructure;
using Grpc.Core;
using Xunit.Abstractions;
using static Cluster.IntegrationTests.EndToEnd.BuiltInKindTests;

namespace Cluster.IntegrationTests.EndToEnd;

/// <summary>
/// Uploaded input with its length declared (the client does so for a file): chunks run while the rest still uploads,
/// and a stream that is not as long as declared is refused naming <c>input_length</c>. Workers on the coordinator's
/// machine read their chunks from its spool (local reads): the bytes do not cross the second hop, unless turned off. (Word counts uploaded this way,
/// split on line ends while arriving, are checked against a sequential count in <see cref="InputByReferenceTests"/>.)
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class StreamedUploadTests(ITestOutputHelper output)
{
    private const int Block = 1 << 20;

    [Fact]
    public async Task Sha256_UploadHeldHalfway_ChunkCompletesBeforeTheUploadEndsResultExactAndNoBytesSentToWorkers()
    {
        var data = RandomNumberGenerator.GetBytes((6 * Block) + 777);
        await using var cluster = await TestCluster.StartAsync(output, workers: 2);
        var input = new GatedStream(data, openUpTo: 3 * Block);
        try
        {
            var run = cluster.RunAsync(Spec("sha256", ("block-size", (long)Block)), input);

            // The stream gives no byte past 3 MiB until a chunk is seen done: without streaming this never happens.
            var running = await TestCluster.PollAsync(
                () => cluster.Client.ListJobsAsync(),
                jobs => jobs.Any(j => j.Kind == "sha256" && j.ChunksDone > 0),
                TimeSpan.FromSeconds(60),
                "a chunk of the sha256 job done while its upload is held at 3 MiB");
            var job = running.Single(j => j.Kind == "sha256");
            Assert.Equal(JobState.Running, job.State);
            Assert.Equal(7, job.ChunksTotal);

            input.Open();
            var hashed = Json(await run);

            var blocks = hashed.GetProperty("blocks").EnumerateArray().Select(b => b.GetString()).ToList();
            Assert.Equal(7, blocks.Count);
            for (var i = 0; i < blocks.Count; i++)
            {
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data.AsSpan(i * Block, Math.Min(Block, data.Length - (i * Block))))), blocks[i]);
            }

            // Local reads (the default, workers on this machine): each chunk went as its 8-byte header and a spool range
            // (as does a straggler's backup attempt), none with its 1 MiB.
            Assert.InRange(await cluster.PayloadBytesSentAsync(atLeast: 7 * 8), 7 * 8, 1024);
        }
        finally
        {
            input.Open();
        }
    }

    [Fact]
    public async Task Sha256_StreamShorterThanDeclared_InvalidArgumentNamingInputLengthAndJobFailed_ThenWithLocalReadsOffBytesSent()
    {
        var data = RandomNumberGenerator.GetBytes(Block + 5);
        var off = new Dictionary<string, string> { ["CLUSTER_Worker__LocalReads"] = "false" };
        await using var cluster = await TestCluster.StartAsync(output, workers: 1, workerEnvironment: off);
        var spec = Spec("sha256", ("block-size", (long)Block));
        spec.InputLength = data.Length + 10;

        var ex = await Assert.ThrowsAsync<ClusterException>(() => cluster.Client.SubmitAsync(spec, new MemoryStream(data)));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains($"input_length must be the bytes uploaded: {data.Length + 10} were declared, but the upload ended after {data.Length}", ex.Message, StringComparison.Ordinal);
        var failed = (await cluster.Client.ListJobsAsync()).Single(j => j.Kind == "sha256");
        Assert.Equal(JobState.Failed, failed.State);
        Assert.EndsWith("resubmit the job.", failed.Error, StringComparison.Ordinal);

        // The coordinator stays up, and the same input with its true length runs; the worker takes no local reads, so
        // every byte of it went to the worker.
        var sent = await cluster.PayloadBytesSentAsync();
        var hashed = Json(await cluster.RunAsync(Spec("sha256", ("block-size", (long)Block)), new MemoryStream(data)));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data.AsSpan(0, Block))), hashed.GetProperty("blocks")[0].GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data.AsSpan(Block))), hashed.GetProperty("blocks")[1].GetString());
        Assert.InRange(await cluster.PayloadBytesSentAsync(atLeast: sent + data.Length) - sent, data.Length, data.Length + 1024);
    }

    /// <summary>A seekable stream over <paramref name="data"/> that gives nothing past <paramref name="openUpTo"/> until <see cref="Open"/>.</summary>
    private sealed class GatedStream(byte[] data, int openUpTo) : MemoryStream(data, writable: false)
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _gate.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= openUpTo && !_gate.Task.IsCompleted)
            {
                await _gate.Task.WaitAsync(TestCluster.JobTimeout, cancellationToken);
            }

            var limit = _gate.Task.IsCompleted ? buffer.Length : (int)Math.Min(buffer.Length, openUpTo - Position);
            return await base.ReadAsync(buffer[..limit], cancellationToken);
        }
    }
}
