using Cluster.Contracts.V1;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Membership;
using Cluster.Jobs;

namespace Cluster.Coordinator;

/// <summary>Conversions between domain objects and protocol messages.</summary>
internal static class Mapping
{
    public static JobInfo ToInfo(Job job)
    {
        // State first: a final state is published only after the outcome is written, so reading it first sees both.
        var state = job.State;
        var output = job.Output;
        return new JobInfo
        {
            JobId = job.Id,
            Kind = job.Kind.Name,
            Name = job.Spec.Name,
            State = state,
            ChunksTotal = job.Plan.ChunkCount,
            ChunksDone = job.ChunksDone,
            ChunksRunning = job.ChunksRunning,
            RetriedAttempts = job.RetriedAttempts,
            StaleResults = job.StaleResults,
            SubmittedUnixMs = job.SubmittedAt.ToUnixTimeMilliseconds(),
            StartedUnixMs = job.StartedAt?.ToUnixTimeMilliseconds() ?? 0,
            FinishedUnixMs = job.FinishedAt?.ToUnixTimeMilliseconds() ?? 0,
            Error = job.Error,
            InputBytes = job.InputBytes,
            ResultBytes = output?.Data.Length ?? 0,
            ResultJson = output?.SummaryJson ?? string.Empty,
            ResultContentType = output?.ContentType ?? string.Empty,
            FailedAttempts = job.FailedAttempts,
            LostAttempts = job.LostAttempts,
            BackupAttempts = job.BackupAttempts,
            Events = { job.RecentEvents.Select(e => e.Text) },
        };
    }

    public static WorkerInfo ToInfo(WorkerSession session, string status) => new()
    {
        WorkerId = session.WorkerId,
        Host = session.Host,
        Pid = session.Pid,
        Threads = session.Threads,
        InFlight = session.InFlight,
        Completed = session.Completed,
        Failed = session.Failed,
        JoinedUnixMs = session.JoinedAt.ToUnixTimeMilliseconds(),
        LastSeenUnixMs = session.LastSeen.ToUnixTimeMilliseconds(),
        Status = status,
        DepartureReason = session.DepartureReason ?? string.Empty,
    };

    public static WorkerInfo ToDeparted(WorkerSession session) => ToInfo(session, "departed");

    /// <summary>Unpacks protocol parameter values; an unset value is reported against its name.</summary>
    public static Dictionary<string, object> ToValues(IDictionary<string, ParameterValue> parameters)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            values[name] = value.ToClr() ?? throw new JobParameterException(name, "has no value set");
        }

        return values;
    }
}
