using Microsoft.Extensions.Options;

namespace Cluster.Hosting.Inputs;

/// <summary>Rejects HTTP input settings a source cannot run with, naming the setting (under <paramref name="section"/>) and the rule.</summary>
/// <param name="section">Where the settings are bound from, for the messages: <c>Worker:HttpInput</c>, say.</param>
public sealed class HttpInputSettingsValidator(string section) : IValidateOptions<HttpInputSettings>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HttpInputSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Check(failures, options.Retries is >= 0 and <= 100, "Retries must be between 0 and 100");
        Check(failures, options.RetryDelay >= TimeSpan.Zero && options.RetryDelay <= TimeSpan.FromMinutes(10), "RetryDelay must be between 0 and 10 minutes");
        Check(failures, options.RetryMaxDelay >= options.RetryDelay && options.RetryMaxDelay <= TimeSpan.FromHours(1), "RetryMaxDelay must be at least RetryDelay and at most 1 hour");
        Check(failures, options.AttemptTimeout > TimeSpan.Zero && options.AttemptTimeout <= TimeSpan.FromDays(1), "AttemptTimeout must be positive and at most 1 day");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Check(List<string> list, bool ok, string rule)
        {
            if (!ok)
            {
                list.Add($"{section}:{rule}.");
            }
        }
    }
}
