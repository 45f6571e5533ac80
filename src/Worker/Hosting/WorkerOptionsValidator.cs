using System.Globalization;
using Microsoft.Extensions.Options;

namespace Cluster.Worker.Hosting;

/// <summary>Rejects settings the worker cannot run with, naming the setting and the rule, at start-up.</summary>
internal sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Coordinator, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"Worker:Coordinator (--coordinator) must be an http:// or https:// URL, not '{options.Coordinator}'.");
        }

        if (options.Threads is < 1 or > 1024)
        {
            failures.Add($"Worker:Threads (--threads) must be between 1 and 1024, not {options.Threads}.");
        }

        foreach (var cpu in options.Cpus.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(cpu, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n >= Environment.ProcessorCount || n > 1023)
            {
                failures.Add($"Worker:Cpus (--cpus) must list CPU numbers from 0 to {Environment.ProcessorCount - 1}, not '{cpu}'.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.Id) || options.Id.Length > 128)
        {
            failures.Add("Worker:Id (--id) must be 1 to 128 characters.");
        }

        if (options.ReconnectMaxDelay <= TimeSpan.Zero || options.JoinTimeout <= TimeSpan.Zero || options.DrainTimeout < TimeSpan.Zero)
        {
            failures.Add("Worker:ReconnectMaxDelay and Worker:JoinTimeout must be positive, Worker:DrainTimeout not negative.");
        }

        if (options.TokenFile.Length > 0 && !File.Exists(options.TokenFile))
        {
            failures.Add($"Worker:TokenFile (--token-file) must name an existing file, not '{options.TokenFile}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
