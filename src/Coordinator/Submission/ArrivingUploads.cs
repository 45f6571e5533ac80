using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Journal;
using Cluster.Coordinator.Merging;
using Cluster.Coordinator.Scheduling;
using Cluster.Jobs;

namespace Cluster.Coordinator.Submission;

/// <summary>
/// Receives the input of a job accepted with its declared length (<c>JobSpec.input_length</c>) while the job runs:
/// each piece goes to the spool, and the chunks whose bytes are now in (in index order, as the plan says) are released
/// to the scheduler. A stream that carries more or fewer bytes than declared is a <see cref="JobParameterException"/>
/// naming <c>input_length</c>; that and a stream cut short (the client gone, an idle timeout, a full disk) fail the job
/// with a sentence saying to resubmit it.
/// </summary>
internal sealed partial class ArrivingUploads(Scheduler scheduler, JobFinisher finisher, ILogger<ArrivingUploads> logger)
{
    public async Task ReceiveAsync(Job job, SpooledInput spool, IAsyncEnumerable<ReadOnlyMemory<byte>> input, CancellationToken cancellationToken)
    {
        var plan = job.Plan as IArrivingInputPlan;
        long released = 0;
        try
        {
            await foreach (var piece in input.WithCancellation(cancellationToken))
            {
                if (spool.Received + piece.Length > spool.Length)
                {
                    throw new JobParameterException("input_length", $"must be the bytes uploaded: {spool.Length} were declared, but the upload carried more ({spool.Received + piece.Length} so far)");
                }

                if (job.IsFinal)
                {
                    // Cancelled (or failed) while it uploaded: the rest is not wanted.
                    return;
                }

                await spool.AppendAsync(piece, cancellationToken);
                if (plan is not null && released < job.ChunkCount)
                {
                    released = Release(job, plan, spool, released);
                }
            }

            if (spool.Received != spool.Length)
            {
                throw new JobParameterException("input_length", $"must be the bytes uploaded: {spool.Length} were declared, but the upload ended after {spool.Received}");
            }

            await spool.CompleteAsync(cancellationToken);
            LogArrived(logger, job.Id, spool.Received, released, job.ChunkCount);
            scheduler.Release(job, job.ChunkCount);
        }
        catch (ObjectDisposedException) when (job.IsFinal)
        {
            // Cancelled (or failed) between the check above and the write, which found its spool deleted.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogCut(logger, job.Id, spool.Received, spool.Length, ex.Message);
            finisher.Fail(job, Sentence(spool, ex));
            throw;
        }
    }

    /// <summary>The sentence a job whose upload stopped short fails with.</summary>
    internal static string Sentence(SpooledInput spool, Exception ex)
    {
        if (ex is StoreWriteException store)
        {
            return $"Its input upload stopped after {spool.Received} of the {spool.Length} bytes declared: {store.Sentence}";
        }

        var why = ex switch
        {
            JobParameterException p => $"{p.Message.TrimEnd('.')}",
            OperationCanceledException => "the client's stream was cancelled or went idle",
            _ => $"{ex.GetType().Name}: {ex.Message.TrimEnd('.')}",
        };
        return $"Its input upload stopped after {spool.Received} of the {spool.Length} bytes declared ({why}): resubmit the job.";
    }

    private long Release(Job job, IArrivingInputPlan plan, SpooledInput spool, long released)
    {
        var arrived = spool.Arrived;
        var next = released;
        while (next < job.ChunkCount && plan.HasArrived(next, arrived))
        {
            next++;
        }

        if (next > released)
        {
            scheduler.Release(job, next);
        }

        return next;
    }

    [LoggerMessage(EventId = 7230, Level = LogLevel.Information, Message = "Job {JobId}: its {Bytes} input bytes arrived; {Released} of {ChunkCount} chunks were released while they uploaded")]
    private static partial void LogArrived(ILogger logger, string jobId, long bytes, long released, long chunkCount);

    [LoggerMessage(EventId = 7231, Level = LogLevel.Warning, Message = "Job {JobId}: its upload stopped after {Received} of {Declared} bytes: {Reason}")]
    private static partial void LogCut(ILogger logger, string jobId, long received, long declared, string reason);
}
