using Cluster.Contracts.V1;

namespace Cluster.Client;

/// <summary>A job ended without a result: it failed (a chunk kept throwing, workers kept dying) or was cancelled.</summary>
public sealed class JobFailedException : Exception
{
    /// <summary>Creates the exception for <paramref name="job"/>'s final snapshot.</summary>
    public JobFailedException(JobInfo job)
        : base(Describe(job)) => Job = job;

    /// <summary>The job's final snapshot; <see cref="JobInfo.Error"/> says why.</summary>
    public JobInfo Job { get; }

    private static string Describe(JobInfo job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var what = job.State == JobState.Cancelled ? "was cancelled" : "failed";
        return Sentences.End($"Job {job.JobId} {what}: {(job.Error.Length > 0 ? job.Error : "no reason given")}");
    }
}
