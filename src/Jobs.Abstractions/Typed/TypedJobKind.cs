using System.Text.Json;

namespace Cluster.Jobs.Typed;

/// <summary>
/// What the typed kinds share: parameters read from a record, a typed chunk result, and a typed merged result that the
/// SDK serialises. Derive from <see cref="JobKind{TParameters, TChunk, TChunkResult, TResult}"/> or
/// <see cref="InputJobKind{TParameters, TChunkResult, TResult}"/>.
/// </summary>
/// <typeparam name="TParameters">
/// A record whose public constructor's parameters are the kind's parameters (see <see cref="IJobKind.Parameters"/>):
/// <c>long</c>, <c>int</c>, <c>double</c>, <c>float</c>, <c>string</c> or <c>bool</c>; optional when they have a
/// default; described by <see cref="System.ComponentModel.DescriptionAttribute"/>, bounded by <see cref="RangeAttribute"/>.
/// </typeparam>
/// <typeparam name="TChunkResult">What one chunk returns.</typeparam>
/// <typeparam name="TResult">The job's merged result; its JSON form is the job's summary.</typeparam>
public abstract class TypedJobKind<TParameters, TChunkResult, TResult> : IJobKind
    where TParameters : notnull
{
    private readonly ParameterSchema _schema = ParameterSchema.For(typeof(TParameters));
    private readonly JsonSerializerOptions _jsonOptions = ChunkCodecs.CreateJsonOptions();

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <inheritdoc />
    public IReadOnlyList<ParameterSpec> Parameters => _schema.Specs;

    /// <inheritdoc />
    public virtual bool TakesInput => false;

    /// <inheritdoc />
    public virtual bool AllowsBackupAttempts => true;

    /// <summary>How chunk results travel from workers to the coordinator. Default: <see cref="ChunkCodecs.Default{T}(JsonSerializerOptions)"/> with <see cref="JsonOptions"/>.</summary>
    protected virtual ChunkCodec<TChunkResult> ChunkResultCodec => ChunkCodecs.Default<TChunkResult>(JsonOptions);

    /// <summary>This kind's own JSON options (<see cref="ChunkCodecs.CreateJsonOptions"/>), for its JSON codecs and its summary.</summary>
    protected JsonSerializerOptions JsonOptions => _jsonOptions;

    /// <inheritdoc />
    public IJobPlan Plan(JobPlanContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = Bind(context.Parameters);
        Validate(parameters);
        return PlanTyped(parameters, context);
    }

    /// <inheritdoc />
    public IChunkExecutor CreateExecutor(JobParameters parameters) => CreateTypedExecutor(Bind(parameters), ChunkResultCodec, null);

    /// <inheritdoc />
    public virtual bool ReadsInputByReference => false;

    /// <inheritdoc />
    public IChunkExecutor CreateExecutor(JobParameters parameters, IJobInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ReadsInputByReference
            ? CreateTypedExecutor(Bind(parameters), ChunkResultCodec, input)
            : throw new NotSupportedException($"Job kind '{Name}' does not read its input by reference.");
    }

    /// <summary>The parameters record for values already bound against <see cref="Parameters"/>.</summary>
    /// <exception cref="JobParameterException">A required parameter is missing.</exception>
    public TParameters Bind(JobParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return (TParameters)_schema.Create(parameters);
    }

    /// <summary>
    /// Checks rules between parameters, after types, ranges and defaults were checked and before planning, on the
    /// coordinator. Throw a <see cref="JobParameterException"/> naming the parameter and the rule.
    /// </summary>
    protected virtual void Validate(TParameters parameters)
    {
    }

    /// <summary>The merged result before any chunk was merged (for a sum: zero), on the coordinator.</summary>
    /// <param name="parameters">The job's parameters.</param>
    /// <param name="shape">How many chunks will be merged, and the input's length.</param>
    protected abstract TResult Empty(TParameters parameters, PlanShape shape);

    /// <summary>
    /// Folds one chunk's result into the total: called once per chunk, never concurrently, in no particular order (the
    /// result must not depend on it). May update <paramref name="total"/> and return it, or return a new value.
    /// </summary>
    protected abstract TResult Merge(TResult total, long chunkIndex, TChunkResult chunkResult);

    /// <summary>Called once after every chunk was merged; returns the job's result. Default: the total as is.</summary>
    protected virtual TResult Complete(TParameters parameters, TResult total) => total;

    /// <summary>
    /// The job's output for its result. Default: the result as a JSON object (camel case) and nothing more; a result
    /// that is not an object (a number, a list) becomes <c>{"value": ...}</c>.
    /// </summary>
    protected virtual JobOutput ToOutput(TResult result)
    {
        var json = JsonSerializer.Serialize(result, JsonOptions);
        return JobOutput.FromJson(json.StartsWith('{') ? json : "{\"value\":" + json + "}");
    }

    private protected abstract IJobPlan PlanTyped(TParameters parameters, JobPlanContext context);

    private protected abstract IChunkExecutor CreateTypedExecutor(TParameters parameters, ChunkCodec<TChunkResult> resultCodec, IJobInput? input);

    private protected IJobMerger CreateMerger(TParameters parameters, PlanShape shape) =>
        new TypedMerger(this, parameters, Empty(parameters, shape), ChunkResultCodec);

    private sealed class TypedMerger(
        TypedJobKind<TParameters, TChunkResult, TResult> kind, TParameters parameters, TResult empty, ChunkCodec<TChunkResult> codec) : IJobMerger
    {
        private TResult _total = empty;

        public void Merge(long chunkIndex, ReadOnlySpan<byte> output) => _total = kind.Merge(_total, chunkIndex, codec.Read(output));

        public JobOutput Complete() => kind.ToOutput(kind.Complete(parameters, _total));
    }
}
