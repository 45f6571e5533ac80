using System.Buffers.Binary;
using Cluster.Contracts.V1;
using Cluster.Worker.Execution;
using Cluster.Worker.Hosting;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace Cluster.Tests.Worker.Fakes;

/// <summary>Builds the coordinator's messages and reads the worker's, for the worker's tests.</summary>
internal static class Messages
{
    public static CoordinatorMessage Assign(string jobId, string kind, params long[] chunks) =>
        Assign(new JobDefinition { JobId = jobId, Kind = kind }, chunks);

    public static CoordinatorMessage Assign(JobDefinition? definition, params long[] chunks)
    {
        var batch = new AssignmentBatch();
        if (definition is not null)
        {
            batch.Jobs.Add(definition);
        }

        return AssignTo(batch, definition?.JobId ?? "j", chunks);
    }

    /// <summary>Chunks of a job defined earlier in the session, without its definition.</summary>
    public static CoordinatorMessage AssignMore(string jobId, params long[] chunks) => AssignTo(new AssignmentBatch(), jobId, chunks);

    public static CoordinatorMessage Cancel(string jobId, long chunk, int attempt = 1) =>
        new() { Cancel = new CancelChunks { Chunks = { new ChunkRef { JobId = jobId, ChunkIndex = chunk, Attempt = attempt } } } };

    public static CoordinatorMessage Closed(string jobId) => new() { JobClosed = new JobClosed { JobId = jobId } };

    public static ChunkAssignment Chunk(string jobId, long chunk, int attempt = 1) =>
        new() { JobId = jobId, ChunkIndex = chunk, Attempt = attempt, Payload = ByteString.Empty };

    public static ChunkResult Output(string jobId, long chunk) =>
        new() { JobId = jobId, ChunkIndex = chunk, Attempt = 1, Output = ByteString.CopyFrom(BitConverter.GetBytes(chunk)) };

    /// <summary>The chunk index a test kind wrote as its output.</summary>
    public static long OutputIndex(ChunkResult result) => BinaryPrimitives.ReadInt64LittleEndian(result.Output.Span);

    public static ComputePool Pool(int threads, ChunkTracing? tracing = null)
    {
        var options = OptionsFactory.Create(new WorkerOptions { Coordinator = "http://127.0.0.1:1", Threads = threads });
        return new(options, TimeProvider.System, tracing ?? new ChunkTracing(options, TimeProvider.System), NullLogger<ComputePool>.Instance);
    }

    private static CoordinatorMessage AssignTo(AssignmentBatch batch, string jobId, long[] chunks)
    {
        foreach (var chunk in chunks)
        {
            batch.Chunks.Add(Chunk(jobId, chunk));
        }

        return new CoordinatorMessage { Assignments = batch };
    }
}
