using Cluster.Bundles.Format;
using Microsoft.Extensions.Options;

namespace Cluster.Coordinator.Bundles;

/// <summary>Checks the bundle settings at start-up; each bad one is named with its rule.</summary>
internal sealed class BundleOptionsValidator : IValidateOptions<BundleOptions>
{
    public ValidateOptionsResult Validate(string? name, BundleOptions options)
    {
        List<string> failures = [];
        if (options.MaxBundleBytes < 1)
        {
            failures.Add($"Coordinator:MaxBundleBytes must be at least 1 (got {options.MaxBundleBytes})");
        }

        if (options.BundleStoreBytes < options.MaxBundleBytes)
        {
            failures.Add($"Coordinator:BundleStoreBytes must be at least Coordinator:MaxBundleBytes ({options.MaxBundleBytes}), got {options.BundleStoreBytes}");
        }

        foreach (var id in options.ParsedAllowedBundles().Where(id => !BundleIds.IsValid(id)))
        {
            failures.Add($"Coordinator:AllowedBundles: '{id}' is not a bundle id (64 hexadecimal characters, the SHA-256 of the bundle)");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
