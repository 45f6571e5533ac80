using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Dashboard;

/// <summary>Rejects dashboard settings the coordinator cannot run with, naming the setting and the rule, at start-up.</summary>
internal sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var failures = new List<string>();
        Check(failures, options.UpdateInterval >= TimeSpan.FromMilliseconds(50) && options.UpdateInterval <= TimeSpan.FromMinutes(1), "UpdateInterval must be between 50 ms and 1 minute");
        Check(failures, options.TimelineJobs is >= 0 and <= 1000, "TimelineJobs must be between 0 (no timeline) and 1000");
        Check(failures, options.TimelineAttempts is >= 16 and <= 1_000_000, "TimelineAttempts must be between 16 and 1000000");
        Check(failures, options.LongChunkMedians is >= 1 and <= 1000, "LongChunkMedians must be between 1 and 1000");
        Check(failures, options.LongChunkMinimum >= TimeSpan.Zero, "LongChunkMinimum must not be negative");
        Check(failures, options.MaxStreams is >= 1 and <= 10_000, "MaxStreams must be between 1 and 10000");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, bool ok, string rule)
    {
        if (!ok)
        {
            failures.Add($"{DashboardOptions.Section}:{rule}.");
        }
    }
}
