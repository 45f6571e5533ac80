using System.Buffers;
using Cluster.Contracts.V1;
using Cluster.Jobs;
using Cluster.Worker.Execution;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cluster.Tests.Worker.Execution;

/// <summary>The worker's side of local reads: proving it reads the coordinator's probe, and running a chunk sent as a spool range.</summary>
public sealed class LocalSpoolTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cluster-local-spool-").FullName;

    [Fact]
    public void Prove_ProbeReadable_SendsItsTokenAndReadsItsFolder()
    {
        var probe = Write("p.probe", "A1B2C3"u8.ToArray());

        var spool = LocalSpool.Prove(probe, enabled: true, NullLogger.Instance, out var proof);

        Assert.Equal(_folder, spool?.Folder);
        Assert.Equal("A1B2C3", proof?.Token);
        Assert.Empty(proof!.Error);
    }

    [Theory]
    [InlineData(true, "missing.probe", "cannot read")]
    [InlineData(false, "p.probe", "Worker:LocalReads=false")]
    public void Prove_ProbeUnreadableOrLocalReadsOff_NoSpoolAndTheErrorSaysWhy(bool enabled, string name, string why)
    {
        Write("p.probe", "A1B2C3"u8.ToArray());

        var spool = LocalSpool.Prove(Path.Combine(_folder, name), enabled, NullLogger.Instance, out var proof);

        Assert.Null(spool);
        Assert.Empty(proof!.Token);
        Assert.Contains(why, proof.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Prove_NoProbeOffered_NoAnswer()
    {
        Assert.Null(LocalSpool.Prove(string.Empty, enabled: true, NullLogger.Instance, out var proof));
        Assert.Null(proof);
    }

    [Fact]
    public void Execute_SliceOfTheSpool_ExecutorGetsTheHeaderThenTheSliceBytes()
    {
        var bytes = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        var spool = Proved();
        var executor = new RecordingExecutor();
        var slice = new LocalSlice { Path = Write("job.input", bytes), Offset = 37, Length = 41 };

        LocalSpool.Execute(spool, executor, Item(executor, [9, 9], slice), slice, new ArrayBufferWriter<byte>(), CancellationToken.None);

        Assert.Equal([9, 9, .. bytes.AsSpan(37, 41)], executor.Payload);
    }

    [Theory]
    [InlineData("job.input", 90, 20, "The input ended at byte 100")]
    [InlineData("gone.input", 0, 10, "gone.input")]
    [InlineData("../outside.input", 0, 10, "not in")]
    public void Execute_SliceNotReadable_FailsTheAttemptSayingTheChunkIsRetriedWithBytes(string name, long offset, long length, string why)
    {
        Write("job.input", new byte[100]);
        var spool = Proved();
        var executor = new RecordingExecutor();
        var slice = new LocalSlice { Path = Path.GetFullPath(Path.Combine(_folder, name)), Offset = offset, Length = length };

        var ex = Assert.Throws<IOException>(() => LocalSpool.Execute(spool, executor, Item(executor, [], slice), slice, new ArrayBufferWriter<byte>(), CancellationToken.None));

        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("the coordinator retries the chunk with its bytes.", ex.Message, StringComparison.Ordinal);
        Assert.Null(executor.Payload);
    }

    [Fact]
    public void Execute_WorkerDidNotProveLocalReads_FailsTheAttempt()
    {
        var executor = new RecordingExecutor();
        var slice = new LocalSlice { Path = Write("job.input", new byte[10]), Offset = 0, Length = 10 };

        var ex = Assert.Throws<IOException>(() => LocalSpool.Execute(null, executor, Item(executor, [], slice), slice, new ArrayBufferWriter<byte>(), CancellationToken.None));

        Assert.Contains("did not prove", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private LocalSpool Proved() => LocalSpool.Prove(Write("p.probe", "T"u8.ToArray()), enabled: true, NullLogger.Instance, out _)!;

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static WorkItem Item(IChunkExecutor executor, byte[] header, LocalSlice slice) =>
        new(new ChunkAssignment { JobId = "j", ChunkIndex = 3, Attempt = 1, Payload = ByteString.CopyFrom(header), LocalSlice = slice }, new JobContext("j", executor, null), new NoSink());

    private sealed class RecordingExecutor : IChunkExecutor
    {
        public byte[]? Payload { get; private set; }

        public void Execute(long chunkIndex, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, CancellationToken cancellationToken) =>
            Payload = payload.ToArray();
    }

    private sealed class NoSink : IWorkSink
    {
        public bool IsLive => true;

        public void Complete(WorkItem item, ChunkResult result) => throw new InvalidOperationException("not run through a pool");

        public void Skip(WorkItem item) => throw new InvalidOperationException("not run through a pool");
    }
}
