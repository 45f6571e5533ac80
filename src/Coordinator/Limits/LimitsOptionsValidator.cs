using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Limits;

/// <summary>Rejects limits the coordinator cannot run with, naming the setting and the rule, at start-up.</summary>
internal sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        var failures = new List<string>();
        Check(failures, options.MaxQueuedJobsPerClient >= 1, "MaxQueuedJobsPerClient must be at least 1");
        Check(failures, options.MaxWatchesPerClient >= 1, "MaxWatchesPerClient must be at least 1");
        Check(failures, options.MaxSubmitStreamsPerClient >= 1, "MaxSubmitStreamsPerClient must be at least 1");
        Check(failures, options.SubmitIdleTimeout > TimeSpan.Zero && options.SubmitIdleTimeout <= Day, "SubmitIdleTimeout must be positive and at most one day");
        Check(failures, options.MaxConnections >= 1, "MaxConnections must be at least 1");
        Check(failures, options.MaxStreamsPerConnection >= 1, "MaxStreamsPerConnection must be at least 1");
        Check(failures, options.RequestHeadersTimeout > TimeSpan.Zero && options.RequestHeadersTimeout <= Day, "RequestHeadersTimeout must be positive and at most one day");
        Check(failures, options.KeepAliveTimeout > TimeSpan.Zero && options.KeepAliveTimeout <= Day, "KeepAliveTimeout must be positive and at most one day");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, bool ok, string rule)
    {
        if (!ok)
        {
            failures.Add($"{LimitsOptions.Section}:{rule}.");
        }
    }
}
