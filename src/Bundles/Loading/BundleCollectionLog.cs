using Microsoft.Extensions.Logging;

namespace Cluster.Bundles.Loading;

/// <summary>
/// What the coordinator and the workers log once an unloaded bundle's load context is freed, or is still alive after
/// the registry's collections: one wording and one event id for each, whichever process logs it.
/// </summary>
public static partial class BundleCollectionLog
{
    /// <summary>A <see cref="BundleRegistry"/> callback that logs each unload's outcome to <paramref name="logger"/>.</summary>
    public static Action<string, int> To(ILogger logger) => (id, alive) =>
    {
        if (alive == 0)
        {
            LogCollected(logger, id);
        }
        else
        {
            LogStillAlive(logger, id, alive);
        }
    };

    [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "Bundle {BundleId} unloaded: no job uses it, its load context was freed")]
    private static partial void LogCollected(ILogger logger, string bundleId);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Warning, Message = "Bundle {BundleId} unloaded, but {Alive} of its load contexts are still alive after 10 full collections over 2 s: something still refers to its types")]
    private static partial void LogStillAlive(ILogger logger, string bundleId, int alive);
}
