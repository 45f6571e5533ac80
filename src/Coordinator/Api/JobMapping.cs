using Cluster.Contracts.V1;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Submission;
using JobState = Cluster.Coordinator.Jobs.JobState;
using ProtoJobState = Cluster.Contracts.V1.JobState;

namespace Cluster.Coordinator.Api;

/// <summary>Conversions between jobs and the client protocol's messages.</summary>
internal static class JobMapping
{
    public static JobInfo ToInfo(Job job)
    {
        // State first: a final state is published only after the outcome is written, so reading it first sees both.
        var state = job.State;
        var output = job.Output;
        var counters = job.Counters;
        return new JobInfo
        {
            JobId = job.Id,
            Kind = job.KindName,
            Name = job.Name,
            Owner = job.Owner,
            State = ToProto(state),
            ChunksTotal = job.ChunkCount,
            ChunksDone = job.ChunksDone,
            ChunksRunning = counters.ChunksRunning,
            RetriedAttempts = counters.RetriedAttempts,
            StaleResults = counters.StaleResults,
            SubmittedUnixMs = job.SubmittedAt.ToUnixTimeMilliseconds(),
            StartedUnixMs = job.StartedAt?.ToUnixTimeMilliseconds() ?? 0,
            FinishedUnixMs = job.FinishedAt?.ToUnixTimeMilliseconds() ?? 0,
            Error = job.Error,
            InputBytes = job.InputBytes,
            ResultBytes = job.ResultBytes,
            ResultJson = output?.SummaryJson ?? string.Empty,
            ResultContentType = output?.ContentType ?? string.Empty,
            FailedAttempts = counters.FailedAttempts,
            LostAttempts = counters.LostAttempts,
            BackupAttempts = counters.BackupAttempts,
            Events = { job.RecentEvents.Select(e => e.Text) },
        };
    }

    /// <summary>The job's attempt log as <c>GetJobAttempts</c> answers it.</summary>
    public static GetJobAttemptsResponse ToAttempts(Job job)
    {
        var (entries, omitted) = job.AttemptLog.Snapshot();
        var response = new GetJobAttemptsResponse { Omitted = omitted };
        response.Attempts.AddRange(entries.Select(e => new ChunkAttempt
        {
            ChunkIndex = e.Chunk,
            Attempt = e.Attempt,
            WorkerId = e.WorkerId,
            StartedUnixMs = e.StartedAt?.ToUnixTimeMilliseconds() ?? 0,
            EndedUnixMs = e.EndedAt.ToUnixTimeMilliseconds(),
            Outcome = e.OutcomeName,
            Error = e.Error,
        }));
        return response;
    }

    public static ProtoJobState ToProto(JobState state) => state switch
    {
        JobState.Pending => ProtoJobState.Pending,
        JobState.Running => ProtoJobState.Running,
        JobState.Succeeded => ProtoJobState.Succeeded,
        JobState.Failed => ProtoJobState.Failed,
        JobState.Cancelled => ProtoJobState.Cancelled,
        _ => ProtoJobState.Unspecified,
    };

    /// <summary>The submission a spec asks for; parameter values are unpacked, an unset one kept as <see langword="null"/> for the submitter to name.</summary>
    public static JobSubmission ToSubmission(JobSpec spec)
    {
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in spec.Parameters)
        {
            parameters[name] = value.ToClr();
        }

        return new JobSubmission(spec.Kind, spec.Name, spec.Chunks, spec.ChunkSize, spec.MaxAttempts, parameters) { BundleId = spec.BundleId, InputUrl = spec.InputUrl, InputLength = spec.InputLength };
    }
}
