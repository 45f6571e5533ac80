using System.Diagnostics;
using Cluster.Cli.Common;
using Cluster.Client;
using Cluster.Contracts.V1;
using Spectre.Console;

namespace Cluster.Cli.Rendering;

/// <summary>Follows a job to its end while showing progress on standard error: a live bar on a terminal, plain lines otherwise.</summary>
internal sealed class JobProgressDisplay(CliConsole console)
{
    public Task<JobInfo> FollowAsync(ClusterClient client, JobInfo submitted, bool quiet, CancellationToken cancellationToken)
    {
        if (quiet)
        {
            return client.WaitForCompletionAsync(submitted.JobId, null, cancellationToken);
        }

        return console.StatusIsInteractive
            ? FollowLiveAsync(client, submitted, cancellationToken)
            : FollowPlainAsync(client, submitted, cancellationToken);
    }

    private async Task<JobInfo> FollowPlainAsync(ClusterClient client, JobInfo submitted, CancellationToken cancellationToken)
    {
        var lastState = JobState.Unspecified;
        var seen = 0;
        void Show(JobInfo job)
        {
            // Lost workers, retries and backups are news the user should see as they happen.
            TellEvents(job, seen);
            seen = Math.Max(seen, job.Events.Count);
            if (job.State != lastState)
            {
                lastState = job.State;
                console.WriteNote(ProgressText.StateLine(job));
            }
        }

        Show(submitted);
        var final = await client.WaitForCompletionAsync(submitted.JobId, new ImmediateProgress<JobInfo>(Show), cancellationToken);
        Show(final);
        return final;
    }

    private async Task<JobInfo> FollowLiveAsync(ClusterClient client, JobInfo submitted, CancellationToken cancellationToken)
    {
        var final = await console.Status.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape($"{submitted.Kind} planning"), autoStart: true, maxValue: 1);
                var clock = Stopwatch.StartNew();
                long firstDone = -1;
                void Update(JobInfo job)
                {
                    firstDone = firstDone < 0 ? job.ChunksDone : firstDone;
                    var seconds = clock.Elapsed.TotalSeconds;
                    double? rate = seconds > 0.5 ? (job.ChunksDone - firstDone) / seconds : null;
                    task.MaxValue = Math.Max(1, job.ChunksTotal);
                    task.Value = job.ChunksDone;
                    task.Description = Markup.Escape($"{job.Kind} {ProgressText.Describe(job, rate)}");
                }

                var final = await client.WaitForCompletionAsync(submitted.JobId, new ImmediateProgress<JobInfo>(Update), cancellationToken);
                Update(final);
                task.StopTask();
                return final;
            });

        // Under a live bar, the job's events (lost workers, retries, backups) are told once it has finished drawing.
        TellEvents(final, 0);
        return final;
    }

    private void TellEvents(JobInfo job, int skip)
    {
        foreach (var text in job.Events.Skip(skip).Where(e => e != "succeeded"))
        {
            console.WriteNote($"job {job.JobId}: {text}");
        }
    }

    /// <summary>Reports on the caller's thread, in order (unlike <see cref="Progress{T}"/>, which posts).</summary>
    private sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
