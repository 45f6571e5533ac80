using System.Collections.Concurrent;
using Cluster.Bundles;
using Cluster.Contracts.V1;
using Cluster.Coordinator.Api;

namespace Cluster.Coordinator.Bundles;

/// <summary>
/// The kinds of the bundles the coordinator holds, for ListKinds: each bundle loaded once to describe its kinds (then
/// unloaded unless a job uses it), the description kept by id, since a bundle's id fixes its bytes and so its kinds.
/// </summary>
internal sealed partial class BundleKinds(CoordinatorBundles bundles, ILogger<BundleKinds> logger)
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<KindInfo>> _described = new(StringComparer.Ordinal);

    /// <summary>The kinds of every allowed bundle held, by kind name then bundle id, each with its bundle id.</summary>
    public IReadOnlyList<KindInfo> Describe()
    {
        var held = bundles.Store.Ids.Where(bundles.IsAllowed).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _described.Keys.Where(id => !held.Contains(id)))
        {
            _described.TryRemove(gone, out _);
        }

        return [.. held.SelectMany(Of).OrderBy(k => k.Name, StringComparer.Ordinal).ThenBy(k => k.BundleId, StringComparer.Ordinal)];
    }

    private IReadOnlyList<KindInfo> Of(string id)
    {
        if (_described.TryGetValue(id, out var known))
        {
            return known;
        }

        IReadOnlyList<KindInfo> described;
        try
        {
            using var lease = bundles.Inspect(id);
            if (lease is null)
            {
                return []; // Evicted since the listing: nothing to describe, nothing to remember.
            }

            using var scope = lease.Bundle.EnterContextualReflection();
            described = [.. lease.Bundle.KindNames.Select(name => WithBundle(KindDescriptions.Describe(lease.Bundle.GetKind(name)), id))];
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            // A bundle that does not load (its upload is checked only against its hash) has no kinds to list; a job
            // from it is refused with the reason. Remembered, as the same bytes fail the same way.
            LogNotListed(logger, id, ex is BundleException ? ex.Message : $"{ex.GetType().FullName}: {ex.Message}");
            described = [];
        }

        _described[id] = described;
        return described;
    }

    private static KindInfo WithBundle(KindInfo kind, string id)
    {
        kind.BundleId = id;
        return kind;
    }

    [LoggerMessage(EventId = 6600, Level = LogLevel.Information, Message = "Bundle {BundleId} has no kinds to list: {Reason}")]
    private static partial void LogNotListed(ILogger logger, string bundleId, string reason);
}
