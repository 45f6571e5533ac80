using Cluster.Contracts.V1;
using Cluster.Coordinator.Hosting;
using Cluster.Coordinator.Scheduling;
using Cluster.Jobs;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Jobs;

/// <summary>
/// Turns a submission into a planned, queued job: checks the spec, binds parameters to the kind, spools input,
/// and lets the kind split the work. Anything wrong is a <see cref="JobParameterException"/> naming the field.
/// </summary>
internal sealed partial class JobSubmitter(
    JobKindCatalog kinds,
    JobStore store,
    Scheduler scheduler,
    IOptions<CoordinatorOptions> options,
    TimeProvider time,
    ILogger<JobSubmitter> logger)
{
    private readonly CoordinatorOptions _options = options.Value;
    private readonly string _spool = string.IsNullOrEmpty(options.Value.SpoolDirectory)
        ? Path.Combine(Path.GetTempPath(), $"cluster-coordinator-{Environment.ProcessId}")
        : options.Value.SpoolDirectory;

    public async Task<Job> SubmitAsync(JobSpec spec, IAsyncEnumerable<ByteString> input, CancellationToken cancellationToken)
    {
        var kind = Validate(spec);
        var parameters = JobParameters.Bind(kind.Parameters, Mapping.ToValues(spec.Parameters));
        var id = Guid.NewGuid().ToString("N");
        SpooledInput? spooled = null;
        try
        {
            spooled = await ReceiveInputAsync(kind, id, input, cancellationToken);
            var threads = Math.Max(1, scheduler.TotalThreads);
            var chunking = new ChunkingRequest(spec.Chunks, spec.ChunkSize, (long)threads * _options.DefaultChunksPerThread, _options.MaxChunksPerJob);
            var context = new JobPlanContext(parameters, spooled, chunking);

            // Planning may scan the input (line boundaries, say); keep it off the request's I/O thread.
            var plan = await Task.Run(() => kind.Plan(context), cancellationToken);
            if (plan.ChunkCount < 1 || plan.ChunkCount > _options.MaxChunksPerJob)
            {
                throw new JobParameterException("chunks", $"must come to between 1 and {_options.MaxChunksPerJob} chunks; the plan has {plan.ChunkCount}");
            }

            var maxAttempts = spec.MaxAttempts > 0 ? spec.MaxAttempts : _options.MaxAttempts;
            var job = new Job(id, kind, spec, plan, spooled, spooled?.Length ?? 0, maxAttempts, time.GetUtcNow());
            store.Add(job);
            scheduler.AddJob(job);
            LogSubmitted(logger, job.Id, kind.Name, plan.ChunkCount, job.InputBytes);
            return job;
        }
        catch
        {
            spooled?.Dispose();
            throw;
        }
    }

    private IJobKind Validate(JobSpec spec)
    {
        if (string.IsNullOrEmpty(spec.Kind))
        {
            throw new JobParameterException("kind", "is required");
        }

        if (!kinds.TryGet(spec.Kind, out var kind))
        {
            throw new JobParameterException("kind", $"'{spec.Kind}' is not a known job kind (known: {string.Join(", ", kinds.All.Select(k => k.Name))})");
        }

        if (spec.Chunks < 0)
        {
            throw new JobParameterException("chunks", $"must not be negative (got {spec.Chunks})");
        }

        if (spec.ChunkSize < 0)
        {
            throw new JobParameterException("chunk_size", $"must not be negative (got {spec.ChunkSize})");
        }

        if (spec.Chunks > 0 && spec.ChunkSize > 0)
        {
            throw new JobParameterException("chunk_size", "cannot be given together with chunks");
        }

        if (spec.Chunks > _options.MaxChunksPerJob)
        {
            throw new JobParameterException("chunks", $"must be at most {_options.MaxChunksPerJob} (got {spec.Chunks})");
        }

        if (spec.MaxAttempts is < 0 or > 100)
        {
            throw new JobParameterException("max_attempts", $"must be between 0 (the default) and 100 (got {spec.MaxAttempts})");
        }

        if (spec.Name.Length > 200)
        {
            throw new JobParameterException("name", "must be at most 200 characters");
        }

        return kind;
    }

    private async Task<SpooledInput?> ReceiveInputAsync(IJobKind kind, string id, IAsyncEnumerable<ByteString> input, CancellationToken cancellationToken)
    {
        SpooledInput? spooled = kind.TakesInput ? new SpooledInput(_spool, id) : null;
        try
        {
            await foreach (var piece in input.WithCancellation(cancellationToken))
            {
                if (spooled is null)
                {
                    throw new JobParameterException("input", $"must not be sent: kind '{kind.Name}' takes no input");
                }

                if (spooled.Length + piece.Length > _options.MaxInputBytes)
                {
                    throw new InputTooLargeException(_options.MaxInputBytes);
                }

                await spooled.AppendAsync(piece.Memory, cancellationToken);
            }

            if (spooled is not null)
            {
                await spooled.CompleteAsync(cancellationToken);
            }

            return spooled;
        }
        catch
        {
            spooled?.Dispose();
            throw;
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Job {JobId} submitted: kind {Kind}, {ChunkCount} chunks, {InputBytes} input bytes")]
    private static partial void LogSubmitted(ILogger logger, string jobId, string kind, long chunkCount, long inputBytes);
}
