using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Transport;

/// <summary>Rejects TLS settings the coordinator cannot serve with, naming the setting, at start-up: both files or neither, readable PEM.</summary>
internal sealed class TlsOptionsValidator : IValidateOptions<TlsOptions>
{
    public ValidateOptionsResult Validate(string? name, TlsOptions options)
    {
        var failures = new List<string>();
        if ((options.TlsCert.Length > 0) != (options.TlsKey.Length > 0))
        {
            failures.Add("Coordinator:TlsCert (--tls-cert) and Coordinator:TlsKey (--tls-key) go together: give both files or neither.");
        }
        else if (options.Enabled)
        {
            try
            {
                using var certificate = TlsCertificates.LoadServerCertificate(options);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                failures.Add($"Coordinator:TlsCert '{options.TlsCert}' with Coordinator:TlsKey '{options.TlsKey}' is not a usable PEM certificate and key: {e.Message}");
            }
        }

        if (options.Mutual)
        {
            if (!options.Enabled)
            {
                failures.Add("Coordinator:ClientCa (--client-ca) needs TLS: give --tls-cert and --tls-key too.");
            }

            try
            {
                _ = TlsCertificates.LoadCertificates(options.ClientCa);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                failures.Add($"Coordinator:ClientCa '{options.ClientCa}' is not a readable PEM certificate: {e.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
