using System.Runtime.CompilerServices;
using Cluster.Contracts.V1;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.LocalReads;
using Cluster.Coordinator.Membership;
using Cluster.Coordinator.Merging;
using Cluster.Coordinator.Observability;
using Cluster.Coordinator.Scheduling;
using Grpc.Core;

namespace Cluster.Coordinator.Dispatch;

/// <summary>
/// Writes the attempts a session took as assignment batches: each chunk's payload written by its plan into pooled
/// buffers, a job's definition ahead of its first chunk in the session, and a batch flushed once its payloads pass
/// <see cref="FlushBytes"/> so no message nears the message limit. A payload that cannot be produced fails its job.
/// A worker that reads this coordinator's files gets a chunk's input bytes as a spool range (<see cref="LocalSlices"/>);
/// only bytes actually sent count as sent payload bytes in the metrics.
/// </summary>
internal sealed class AssignmentWriter(JobFinisher finisher, ChunkMetrics metrics, JobTracing tracing)
{
    /// <summary>Payload bytes past which a batch is sent and a new one begun.</summary>
    internal const int FlushBytes = 8 << 20;

    // A job's definition, parameters mapped to the protocol once per job; dropped with the job.
    private readonly ConditionalWeakTable<Job, JobDefinition> _definitions = new();

    public async Task WriteAsync(
        WorkerSession session,
        List<Assignment> taken,
        PayloadBuffers buffers,
        IServerStreamWriter<CoordinatorMessage> stream,
        CancellationToken cancellationToken)
    {
        var batch = new AssignmentBatch();
        var bytes = 0;

        // Consecutive chunks of one job need one check of whether the worker knows the job, not one per chunk.
        Job? lastJob = null;
        foreach (var assignment in taken)
        {
            var job = assignment.Job;
            if (job.IsFinal)
            {
                // Finished between taking the work and here; finishing released the slot already.
                continue;
            }

            if (!ReferenceEquals(job, lastJob) && session.MarkJobKnown(job.Id))
            {
                batch.Jobs.Add(_definitions.GetValue(job, Define));
            }

            lastJob = job;
            buffers.Begin();
            LocalSlice? slice = null;
            try
            {
                if (LocalSlices.Applies(session.ReadsLocalFiles, assignment.AfterFailure, job))
                {
                    slice = LocalSlices.Write(job, assignment.Chunk, buffers);
                }
                else
                {
                    job.Plan.WritePayload(assignment.Chunk, buffers);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                finisher.Fail(job, $"Producing the payload of chunk {assignment.Chunk} failed: {ex.GetType().FullName}: {ex.Message}");
                continue;
            }

            batch.Chunks.Add(new ChunkAssignment { JobId = job.Id, ChunkIndex = assignment.Chunk, Attempt = assignment.Attempt, Payload = buffers.Take(), LocalSlice = slice });
            bytes += buffers.Length;
            if (bytes >= FlushBytes)
            {
                await stream.WriteAsync(new CoordinatorMessage { Assignments = batch }, cancellationToken);
                metrics.Sent(IoFlow.ChunkPayload, bytes);
                buffers.Release();
                batch = new AssignmentBatch();
                bytes = 0;
            }
        }

        if (batch.Chunks.Count > 0)
        {
            await stream.WriteAsync(new CoordinatorMessage { Assignments = batch }, cancellationToken);
            metrics.Sent(IoFlow.ChunkPayload, bytes);
        }

        buffers.Release();
    }

    private JobDefinition Define(Job job)
    {
        var definition = new JobDefinition { JobId = job.Id, Kind = job.KindName, BundleId = job.BundleId, TraceParent = tracing.Start(job) };
        if (!string.IsNullOrEmpty(job.InputUrl))
        {
            definition.InputUrl = job.InputUrl;
            definition.InputLength = job.InputBytes;
            definition.InputEtag = job.InputETag;
        }

        foreach (var (name, value) in job.Parameters)
        {
            definition.Parameters[name] = ParameterValue.FromClr(value);
        }

        return definition;
    }
}
