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

        if (options.TracedChunksPerSecond < 0)
        {
            failures.Add($"Worker:TracedChunksPerSecond must not be negative, not {options.TracedChunksPerSecond}.");
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

        if (options.StartJoinWindow < TimeSpan.Zero || options.StartJoinDelay <= TimeSpan.Zero)
        {
            failures.Add("Worker:StartJoinWindow must not be negative and Worker:StartJoinDelay must be positive.");
        }

        if (options.TokenFile.Length > 0 && !File.Exists(options.TokenFile))
        {
            failures.Add($"Worker:TokenFile (--token-file) must name an existing file, not '{options.TokenFile}'.");
        }

        if (options.BundleCacheBytes < 1)
        {
            failures.Add($"Worker:BundleCacheBytes must be at least 1, not {options.BundleCacheBytes}.");
        }

        ValidateTls(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateTls(WorkerOptions options, List<string> failures)
    {
        if ((options.ClientCert.Length > 0) != (options.ClientKey.Length > 0))
        {
            failures.Add("Worker:ClientCert (--client-cert) and Worker:ClientKey (--client-key) go together: give both files or neither.");
        }

        try
        {
            _ = Connection.CoordinatorTls.Create(options);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            failures.Add($"Worker:CaFile (--ca) '{options.CaFile}' or Worker:ClientCert/ClientKey (--client-cert, --client-key) '{options.ClientCert}' is not a readable PEM file: {e.Message}");
        }
    }
}
