using System.Net;
using Cluster.Coordinator.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Security;

/// <summary>
/// Checks the token file at start-up (a bad line is one error naming the line and the rule) and refuses a
/// non-loopback address without tokens unless <see cref="AuthOptions.Insecure"/> is set.
/// </summary>
internal sealed class AuthOptionsValidator(IOptions<CoordinatorOptions> coordinator) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (options.TokensFile.Length > 0)
        {
            try
            {
                _ = TokenFile.Load(options.TokensFile);
            }
            catch (TokenFileException ex)
            {
                return ValidateOptionsResult.Fail($"Coordinator:TokensFile: {ex.Message}.");
            }

            return ValidateOptionsResult.Success;
        }

        var host = coordinator.Value.Host;
        return options.Insecure || IsLoopback(host)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Coordinator:Host {host} is not a loopback address, and no token file is given: pass --tokens FILE " +
                "(Coordinator:TokensFile), or --insecure to accept every caller.");
    }

    /// <summary>Whether <paramref name="host"/> is <c>localhost</c> or a loopback IP address (an unparsable one is left to the host's own check).</summary>
    public static bool IsLoopback(string host) =>
        host == "localhost" || !IPAddress.TryParse(host, out var address) || IPAddress.IsLoopback(address);
}
