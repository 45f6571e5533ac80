using Cluster.Contracts.V1;

namespace Cluster.Coordinator.Limits;

/// <summary>
/// The shape every request field must have before it reaches a stage: lengths, counts and ranges, each rule stated in
/// the error with the field's name. Values are never echoed when they could be long, so a status stays small.
/// </summary>
internal static class InputRules
{
    /// <summary>Longest job kind, parameter name or worker kind name.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Most parameters a job spec may carry.</summary>
    public const int MaxParameters = 100;

    /// <summary>Longest string parameter value (64 Ki characters).</summary>
    public const int MaxStringParameterLength = 64 << 10;

    /// <summary>Longest host name a worker may report (as DNS allows).</summary>
    public const int MaxHostLength = 255;

    /// <summary>Most job kinds a worker may list in its join.</summary>
    public const int MaxWorkerKinds = 1000;

    /// <summary>Most results in one batch, as the protocol states.</summary>
    public const int MaxResultsPerBatch = 4096;

    /// <summary>Longest free text kept from a worker (a drain reason, an exit description, a failure message); longer text is cut.</summary>
    public const int MaxTextLength = 4096;

    /// <summary>Longest stack trace kept from a failed attempt; longer ones are cut.</summary>
    public const int MaxStackTraceLength = 16 << 10;

    /// <summary>The first rule <paramref name="spec"/> breaks, or <see langword="null"/>.</summary>
    public static string? Check(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Kind.Length > MaxNameLength)
        {
            return $"kind: must be at most {MaxNameLength} characters (got {spec.Kind.Length})";
        }

        if (spec.Parameters.Count > MaxParameters)
        {
            return $"parameters: at most {MaxParameters} may be given (got {spec.Parameters.Count})";
        }

        if (spec.InputLength < 0)
        {
            return $"input_length: must not be negative (got {spec.InputLength})";
        }

        if (spec.InputLength > 0 && spec.InputUrl.Length > 0)
        {
            return "input_length: must not be given together with input_url: it is the length of an uploaded input";
        }

        foreach (var (name, value) in spec.Parameters)
        {
            if (name.Length is 0 or > MaxNameLength)
            {
                return $"parameters: a parameter name must be 1 to {MaxNameLength} characters (got {name.Length})";
            }

            if (value.ValueCase == ParameterValue.ValueOneofCase.StringValue && value.StringValue.Length > MaxStringParameterLength)
            {
                return $"parameters.{name}: a string value must be at most {MaxStringParameterLength} characters (got {value.StringValue.Length})";
            }
        }

        return null;
    }

    /// <summary>The first rule <paramref name="join"/> breaks, or <see langword="null"/>.</summary>
    public static string? Check(JoinRequest join)
    {
        ArgumentNullException.ThrowIfNull(join);
        return join switch
        {
            { WorkerId.Length: 0 } => "join.worker_id: is required",
            { WorkerId.Length: > 128 } => $"join.worker_id: must be at most 128 characters (got {join.WorkerId.Length})",
            _ when join.WorkerId.Any(char.IsControl) => "join.worker_id: must not contain control characters",
            { Threads: < 1 or > 1024 } => $"join.threads: must be between 1 and 1024 (got {join.Threads})",
            { Host.Length: > MaxHostLength } => $"join.host: must be at most {MaxHostLength} characters (got {join.Host.Length})",
            { Pid: < 0 } => $"join.pid: must not be negative (got {join.Pid})",
            { Kinds.Count: > MaxWorkerKinds } => $"join.kinds: at most {MaxWorkerKinds} may be listed (got {join.Kinds.Count})",
            _ when join.Kinds.Any(k => k.Length is 0 or > MaxNameLength) => $"join.kinds: each must be 1 to {MaxNameLength} characters",
            _ => null,
        };
    }

    /// <summary>The first rule <paramref name="batch"/> breaks, or <see langword="null"/>; <paramref name="batch"/> is left as it came.</summary>
    public static string? Check(ChunkResultBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Results.Count > MaxResultsPerBatch)
        {
            return $"results: at most {MaxResultsPerBatch} per message (got {batch.Results.Count})";
        }

        for (var i = 0; i < batch.Results.Count; i++)
        {
            if (Check(batch.Results[i]) is { } error)
            {
                return $"results[{i}].{error}";
            }
        }

        return null;
    }

    /// <summary>The first rule <paramref name="result"/> breaks (without the <c>results[i].</c> prefix), or <see langword="null"/>.</summary>
    public static string? Check(ChunkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result switch
        {
            _ when !JobIds.IsValid(result.JobId) => "job_id: must be 32 lowercase hexadecimal characters, as in the assignment",
            { ChunkIndex: < 0 } => $"chunk_index: must not be negative (got {result.ChunkIndex})",
            { Attempt: < 1 } => $"attempt: must be at least 1, as in the assignment (got {result.Attempt})",
            { AssignedEpoch: < 0 } => $"assigned_epoch: must not be negative; it is a coordinator epoch from a join, or 0 (got {result.AssignedEpoch})",
            { OutcomeCase: ChunkResult.OutcomeOneofCase.None } => "outcome: one of output, failure or released is required",
            { OutcomeCase: ChunkResult.OutcomeOneofCase.Released, Released: false } => "released: must be true when set",
            _ => null,
        };
    }

    /// <summary>The first rule <paramref name="report"/> breaks, or <see langword="null"/>.</summary>
    public static string? Check(WorkerExitReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report switch
        {
            { WorkerId.Length: 0 } => "worker_id: is required",
            { WorkerId.Length: > 128 } => $"worker_id: must be at most 128 characters (got {report.WorkerId.Length})",
            { Pid: < 0 } => $"pid: must not be negative (got {report.Pid})",
            { Description.Length: > MaxTextLength } => $"description: must be at most {MaxTextLength} characters (got {report.Description.Length})",
            _ => null,
        };
    }

    /// <summary><paramref name="text"/> cut to <paramref name="max"/> characters, marked when cut.</summary>
    public static string Cut(string text, int max = MaxTextLength) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "… (cut)");
}
