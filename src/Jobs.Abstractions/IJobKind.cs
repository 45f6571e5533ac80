namespace Cluster.Jobs;

/// <summary>
/// A kind of data-parallel job: validates its parameters, splits the work into chunks, executes one chunk,
/// and merges chunk outputs into the job's result. The coordinator and the workers only ever talk to kinds
/// through this contract; they never switch on kind names.
/// </summary>
/// <remarks>
/// Implementations need a public parameterless constructor so that <see cref="JobKindCatalog"/> can find them,
/// and must be stateless: per-job state lives in the <see cref="IJobPlan"/> (coordinator side) and the
/// <see cref="IChunkExecutor"/> (worker side).
/// </remarks>
public interface IJobKind
{
    /// <summary>The name jobs are submitted with, for example <c>primes</c>. Lower case, no spaces.</summary>
    string Name { get; }

    /// <summary>One line describing what the kind computes.</summary>
    string Description { get; }

    /// <summary>The parameters the kind accepts. Anything else is rejected before <see cref="Plan"/> runs.</summary>
    IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>Whether the kind reads input data uploaded with the job (see <see cref="JobPlanContext.Input"/>).</summary>
    bool TakesInput => false;

    /// <summary>
    /// Whether a chunk may run twice at once (a backup attempt for a straggler). Default <see langword="true"/>;
    /// a kind whose chunks have side effects outside their output returns <see langword="false"/>.
    /// </summary>
    bool AllowsBackupAttempts => true;

    /// <summary>
    /// Coordinator side: validates the job and splits it into chunks.
    /// </summary>
    /// <exception cref="JobParameterException">A parameter (or the input) breaks a rule of the kind.</exception>
    IJobPlan Plan(JobPlanContext context);

    /// <summary>
    /// Worker side: prepares to execute chunks of one job. Called once per job per worker; the executor is then used
    /// by every compute thread of that worker at once.
    /// </summary>
    IChunkExecutor CreateExecutor(JobParameters parameters);

    /// <summary>
    /// Whether the workers can read this kind's input themselves, by reference (a file every worker can read, say):
    /// the plan then sees only the input's length (<see cref="JobPlanContext.InputByReference"/>), payloads carry byte
    /// ranges, and each worker reads its ranges with positional reads. Default <see langword="false"/>.
    /// </summary>
    bool ReadsInputByReference => false;

    /// <summary>
    /// Worker side, for a job whose input is read by reference: like <see cref="CreateExecutor(JobParameters)"/>, with
    /// the input the executor reads its chunks' ranges from. Only called when <see cref="ReadsInputByReference"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The kind does not read its input by reference (the default).</exception>
    IChunkExecutor CreateExecutor(JobParameters parameters, IJobInput input) =>
        throw new NotSupportedException($"Job kind '{Name}' does not read its input by reference.");
}
