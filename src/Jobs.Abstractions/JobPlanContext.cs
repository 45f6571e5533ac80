namespace Cluster.Jobs;

/// <summary>Everything <see cref="IJobKind.Plan"/> may look at.</summary>
/// <param name="Parameters">The job's parameters, already checked against the kind's declarations.</param>
/// <param name="Input">The uploaded input, or <see langword="null"/> when none was sent.</param>
/// <param name="Chunking">How the user and the coordinator would like the job split.</param>
public sealed record JobPlanContext(JobParameters Parameters, IJobInput? Input, ChunkingRequest Chunking)
{
    /// <summary>
    /// Whether the workers read the input themselves (see <see cref="IJobKind.ReadsInputByReference"/>): the plan knows
    /// the input's <see cref="IJobInput.Length"/> but must not read it, and its payloads carry byte ranges, not bytes.
    /// </summary>
    public bool InputByReference { get; init; }

    /// <summary>
    /// Whether the uploaded input is still arriving while the job is planned (the client declared its length,
    /// <c>JobSpec.input_length</c>): the plan knows the input's declared <see cref="IJobInput.Length"/> but must not
    /// read it, as by reference; its payloads still carry bytes, written only once the coordinator knows they arrived
    /// (see <see cref="IArrivingInputPlan"/>). Only for kinds that read their input by reference.
    /// </summary>
    public bool InputArriving { get; init; }

    /// <summary>The input, or a <see cref="JobParameterException"/> naming it when the job was sent without one.</summary>
    public IJobInput RequireInput() =>
        Input is { Length: > 0 } input
            ? input
            : throw new JobParameterException("input", "is required: this kind reads input data, and none (or an empty one) was sent");
}

/// <summary>Random access to a job's uploaded input, which may be far larger than memory.</summary>
public interface IJobInput
{
    /// <summary>Length of the input in bytes.</summary>
    long Length { get; }

    /// <summary>Reads up to <c>buffer.Length</c> bytes at <paramref name="offset"/>; returns how many were read (0 at the end). Thread-safe.</summary>
    int Read(long offset, Span<byte> buffer);
}
