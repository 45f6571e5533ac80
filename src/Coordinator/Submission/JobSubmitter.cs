using Cluster.Bundles.Loading;
using Cluster.Coordinator.Bundles;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Journal;
using Cluster.Coordinator.Scheduling;
using Cluster.Hosting.Inputs;
using Cluster.Jobs;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Submission;

/// <summary>
/// Turns a submission into a planned, queued job: checks the spec, binds parameters to the kind, spools input,
/// and lets the kind split the work. Anything wrong is a <see cref="JobParameterException"/> naming the field.
/// </summary>
internal sealed partial class JobSubmitter(
    JobKindCatalog kinds,
    CoordinatorBundles bundles,
    JobStore store,
    Scheduler scheduler,
    JobJournal journal,
    ArrivingUploads uploads,
    InputSpool spool,
    HttpInputSource http,
    IOptions<CoordinatorOptions> options,
    TimeProvider time,
    ILogger<JobSubmitter> logger)
{
    private readonly CoordinatorOptions _options = options.Value;
    private readonly string _spool = spool.Directory;

    public async Task<Job> SubmitAsync(JobSubmission submission, IAsyncEnumerable<ReadOnlyMemory<byte>> input, CancellationToken cancellationToken)
    {
        Validate(submission);
        BundleLease? bundle = null;
        SpooledInput? spooled = null;
        try
        {
            var kind = FindKind(submission, out bundle);
            var values = Values(submission.Parameters);
            var parameters = JobParameters.Bind(kind.Parameters, values);
            var id = Guid.NewGuid().ToString("N");
            var referenced = string.IsNullOrEmpty(submission.InputUrl) ? null : await ReferenceAsync(kind, submission.InputUrl, cancellationToken);
            if (referenced is null && submission.InputLength > 0 && kind.TakesInput && kind.ReadsInputByReference)
            {
                // Declared length: planned now, each chunk dispatched once its bytes are in (the spool is the job's).
                spooled = submission.InputLength <= _options.MaxInputBytes
                    ? NewSpool(id, submission.InputLength)
                    : throw new InputTooLargeException(_options.MaxInputBytes);
                var arriving = await AcceptAsync(submission, kind, bundle, id, values, new JobPlanContext(parameters, spooled, default) { InputArriving = true }, null, spooled, cancellationToken);
                (spooled, bundle) = (null, null);
                await uploads.ReceiveAsync(arriving, (SpooledInput)arriving.Input!, input, cancellationToken);
                return arriving;
            }

            spooled = await ReceiveInputAsync(kind, id, referenced is null, input, cancellationToken);
            var context = new JobPlanContext(parameters, (IJobInput?)referenced ?? spooled, default) { InputByReference = referenced is not null };
            return await AcceptAsync(submission, kind, bundle, id, values, context, referenced, spooled, cancellationToken);
        }
        catch
        {
            spooled?.Dispose();
            bundle?.Dispose();
            throw;
        }
    }

    /// <summary>Plans the job from <paramref name="context"/> (its chunking filled in here), journals it and queues it.</summary>
    private async Task<Job> AcceptAsync(
        JobSubmission submission,
        IJobKind kind,
        BundleLease? bundle,
        string id,
        Dictionary<string, object> values,
        JobPlanContext context,
        ReferencedInput? referenced,
        SpooledInput? spooled,
        CancellationToken cancellationToken)
    {
        var threads = Math.Max(1, scheduler.TotalThreads);
        var chunking = new ChunkingRequest(submission.Chunks, submission.ChunkSize, (long)threads * _options.DefaultChunksPerThread, _options.MaxChunksPerJob);
        context = context with { Chunking = chunking };

        // Planning may scan the input (line boundaries, say); keep it off the request's I/O thread.
        var plan = await Task.Run(() => Plan(kind, context, bundle?.Bundle), cancellationToken);
        if (plan.ChunkCount < 1 || plan.ChunkCount > _options.MaxChunksPerJob)
        {
            throw new JobParameterException("chunks", $"must come to between 1 and {_options.MaxChunksPerJob} chunks; the plan has {plan.ChunkCount}");
        }

        var maxAttempts = submission.MaxAttempts > 0 ? submission.MaxAttempts : _options.MaxAttempts;
        var job = new Job(id, kind, submission.Name, values, plan, spooled, referenced?.Length ?? spooled?.Length ?? 0, maxAttempts, time.GetUtcNow())
        {
            InputUrl = submission.InputUrl,
            InputETag = referenced?.ETag ?? string.Empty,
            Owner = submission.Owner,
            BundleId = submission.BundleId,
            Bundle = bundle,
            Journal = journal,
        };
        if (context.InputArriving)
        {
            job.Queue.Withhold();
        }

        journal.Accepted(job, new JournalSpec(kind.Name, submission.BundleId, submission.Name, submission.Owner, submission.Chunks, submission.ChunkSize, chunking.DefaultChunks, chunking.MaxChunks, maxAttempts, values, submission.InputUrl ?? string.Empty, referenced?.ETag ?? string.Empty, context.InputArriving));
        store.Add(job);
        scheduler.AddJob(job);
        LogSubmitted(logger, job.Id, kind.Name, plan.ChunkCount, job.InputBytes);
        return job;
    }

    /// <summary>The kind: from the job's bundle (loaded, or shared with a running job of it), or one the coordinator knows.</summary>
    private IJobKind FindKind(JobSubmission submission, out BundleLease? bundle)
    {
        bundle = null;
        if (string.IsNullOrEmpty(submission.BundleId))
        {
            return kinds.TryGet(submission.Kind, out var known)
                ? known
                : throw new JobParameterException("kind", $"'{submission.Kind}' is not a known job kind (known: {string.Join(", ", kinds.All.Select(k => k.Name))})");
        }

        bundle = bundles.Acquire(submission.BundleId);
        return bundle.Bundle.GetKind(submission.Kind);
    }

    /// <summary>The input by reference, for a kind whose workers can read it themselves.</summary>
    private Task<ReferencedInput> ReferenceAsync(IJobKind kind, string url, CancellationToken cancellationToken) =>
        kind.TakesInput && kind.ReadsInputByReference
            ? ReferencedInput.OpenAsync(url, http, cancellationToken)
            : throw new JobParameterException("input_url", kind.TakesInput
                ? $"cannot be used with kind '{kind.Name}': its chunks read uploaded bytes only; upload the input instead"
                : $"must not be given: kind '{kind.Name}' takes no input");

    /// <summary>The kind's plan; anything it throws other than a parameter error is reported against the kind, naming what it threw.</summary>
    private static IJobPlan Plan(IJobKind kind, JobPlanContext context, LoadedBundle? bundle)
    {
        using var scope = bundle?.EnterContextualReflection();
        try
        {
            return kind.Plan(context);
        }
        catch (Exception ex) when (ex is not (JobParameterException or OperationCanceledException or OutOfMemoryException))
        {
            throw new JobParameterException("kind", $"'{kind.Name}' threw while validating and planning the job: {ex.GetType().FullName}: {ex.Message}");
        }
    }

    private void Validate(JobSubmission submission)
    {
        if (string.IsNullOrEmpty(submission.Kind))
        {
            throw new JobParameterException("kind", "is required");
        }

        if (submission.Chunks < 0)
        {
            throw new JobParameterException("chunks", $"must not be negative (got {submission.Chunks})");
        }

        if (submission.ChunkSize < 0)
        {
            throw new JobParameterException("chunk_size", $"must not be negative (got {submission.ChunkSize})");
        }

        if (submission.Chunks > 0 && submission.ChunkSize > 0)
        {
            throw new JobParameterException("chunk_size", "cannot be given together with chunks");
        }

        if (submission.Chunks > _options.MaxChunksPerJob)
        {
            throw new JobParameterException("chunks", $"must be at most {_options.MaxChunksPerJob} (got {submission.Chunks})");
        }

        if (submission.MaxAttempts is < 0 or > 100)
        {
            throw new JobParameterException("max_attempts", $"must be between 0 (the default) and 100 (got {submission.MaxAttempts})");
        }

        if (submission.Name.Length > 200)
        {
            throw new JobParameterException("name", "must be at most 200 characters");
        }
    }

    /// <summary>The values the client set; one it left unset is reported against its name.</summary>
    private static Dictionary<string, object> Values(IReadOnlyDictionary<string, object?> parameters)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            values[name] = value ?? throw new JobParameterException(name, "has no value set");
        }

        return values;
    }

    private async Task<SpooledInput?> ReceiveInputAsync(IJobKind kind, string id, bool uploads, IAsyncEnumerable<ReadOnlyMemory<byte>> input, CancellationToken cancellationToken)
    {
        SpooledInput? spooled = kind.TakesInput && uploads ? NewSpool(id, 0) : null;
        try
        {
            await foreach (var piece in input.WithCancellation(cancellationToken))
            {
                if (spooled is null)
                {
                    throw new JobParameterException("input", uploads
                        ? $"must not be sent: kind '{kind.Name}' takes no input"
                        : "must not be sent together with input_url: the workers read the input by reference");
                }

                if (spooled.Length + piece.Length > _options.MaxInputBytes)
                {
                    throw new InputTooLargeException(_options.MaxInputBytes);
                }

                await spooled.AppendAsync(piece, cancellationToken);
            }

            if (spooled is not null)
            {
                await spooled.CompleteAsync(cancellationToken);
            }

            return spooled;
        }
        catch (StoreWriteException ex)
        {
            LogUploadNotStored(logger, id, ex.Sentence);
            spooled?.Dispose();
            throw;
        }
        catch
        {
            spooled?.Dispose();
            throw;
        }
    }

    /// <summary>The job's spool file, created now; a disk that refuses it is logged (the client is told by the endpoint).</summary>
    private SpooledInput NewSpool(string id, long declaredLength)
    {
        try
        {
            return new SpooledInput(_spool, id, declaredLength);
        }
        catch (StoreWriteException ex)
        {
            LogUploadNotStored(logger, id, ex.Sentence);
            throw;
        }
    }

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Upload for job {JobId} refused: its input could not be stored: {Error}")]
    private static partial void LogUploadNotStored(ILogger logger, string jobId, string error);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Job {JobId} submitted: kind {Kind}, {ChunkCount} chunks, {InputBytes} input bytes")]
    private static partial void LogSubmitted(ILogger logger, string jobId, string kind, long chunkCount, long inputBytes);
}
