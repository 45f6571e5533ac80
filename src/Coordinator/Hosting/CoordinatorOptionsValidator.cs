using System.Net;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Hosting;

/// <summary>Rejects settings the coordinator cannot run with, naming the setting and the rule, at start-up.</summary>
internal sealed class CoordinatorOptionsValidator : IValidateOptions<CoordinatorOptions>
{
    public ValidateOptionsResult Validate(string? name, CoordinatorOptions options)
    {
        var failures = new List<string>();
        if (options.Host != "localhost" && !IPAddress.TryParse(options.Host, out _))
        {
            failures.Add($"Coordinator:Host must be an IP address or 'localhost', not '{options.Host}'.");
        }

        Check(failures, options.Port is >= 0 and <= 65535, "Port must be between 0 and 65535");
        Check(failures, options.HttpPort is >= -1 and <= 65535, "HttpPort must be between 0 and 65535, or -1 for none");
        Check(failures, options.HttpPort <= 0 || options.HttpPort != options.Port, "HttpPort must differ from Port");
        Check(failures, options.HeartbeatInterval > TimeSpan.Zero, "HeartbeatInterval must be positive");
        Check(failures, options.Lease >= options.HeartbeatInterval * 2, "Lease must be at least twice HeartbeatInterval");
        Check(failures, options.MaxAttempts is >= 1 and <= 100, "MaxAttempts must be between 1 and 100");
        Check(failures, options.AttemptLogLimit is >= 0 and <= 1_000_000, "AttemptLogLimit must be between 0 and 1000000");
        Check(failures, options.MaxWorkerLosses is >= 1 and <= 100, "MaxWorkerLosses must be between 1 and 100");
        Check(failures, options.BackupAfterMedians >= 1, "BackupAfterMedians must be at least 1");
        Check(failures, options.BackupMinimumRunTime >= TimeSpan.Zero, "BackupMinimumRunTime must not be negative");
        Check(failures, options.QuarantineAfterFailures >= 1, "QuarantineAfterFailures must be at least 1");
        Check(failures, options.QuarantineWindow > TimeSpan.Zero && options.QuarantineDuration >= TimeSpan.Zero, "QuarantineWindow must be positive and QuarantineDuration not negative");
        Check(failures, options.DefaultChunksPerThread is >= 1 and <= 1000, "DefaultChunksPerThread must be between 1 and 1000");
        Check(failures, options.MaxChunksPerJob >= 1, "MaxChunksPerJob must be at least 1");
        Check(failures, options.MaxInputBytes >= 0, "MaxInputBytes must not be negative");
        Check(failures, options.JournalCommitInterval >= TimeSpan.Zero && options.JournalCommitInterval <= TimeSpan.FromMinutes(1), "JournalCommitInterval must be between 0 and 1 minute");
        Check(failures, options.RetainedJobs >= 1, "RetainedJobs must be at least 1");
        Check(failures, options.RetentionAge > TimeSpan.Zero && options.RetentionAge <= TimeSpan.FromDays(36500), "RetentionAge must be positive and at most 100 years");
        Check(failures, options.RetentionBytes >= 0, "RetentionBytes must not be negative");
        Check(failures, options.InFlightPerThread >= 1, "InFlightPerThread must be at least 1");
        Check(failures, options.InFlightPerThreadForTinyChunks >= options.InFlightPerThread, "InFlightPerThreadForTinyChunks must be at least InFlightPerThread");
        Check(failures, options.QueuedWorkPerThread >= TimeSpan.Zero, "QueuedWorkPerThread must not be negative");
        Check(failures, options.ProgressInterval > TimeSpan.Zero, "ProgressInterval must be positive");
        Check(failures, options.MaxMessageBytes >= 1 << 20, "MaxMessageBytes must be at least 1 MiB");
        Check(failures, options.TransportBlockBytes == 0 || options.TransportBlockBytes is >= 4096 and <= 16 << 20, "TransportBlockBytes must be 0 (Kestrel's own pool) or between 4096 and 16777216");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, bool ok, string rule)
    {
        if (!ok)
        {
            failures.Add($"Coordinator:{rule}.");
        }
    }
}
