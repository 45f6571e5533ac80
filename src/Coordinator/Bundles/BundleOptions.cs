namespace Cluster.Coordinator.Bundles;

/// <summary>
/// Shipped code (bundles), bound from the <c>Coordinator</c> section like the other coordinator settings
/// (<c>Coordinator:AcceptBundles</c>, <c>CLUSTER_Coordinator__AllowedBundles</c>, ...).
/// </summary>
public sealed class BundleOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Coordinator";

    /// <summary>
    /// Whether clients may upload bundles and submit jobs from them, that is run their own code on the coordinator and
    /// every worker. Default true. False: uploads and jobs naming a bundle are refused with PermissionDenied.
    /// </summary>
    public bool AcceptBundles { get; set; } = true;

    /// <summary>
    /// Bundle ids (SHA-256, 64 hexadecimal characters) that may be uploaded and run, comma-separated. Default empty: any
    /// bundle a client uploads.
    /// </summary>
    public string AllowedBundles { get; set; } = string.Empty;

    /// <summary>The largest bundle accepted, in bytes. Default 256 MiB.</summary>
    public long MaxBundleBytes { get; set; } = 256L << 20;

    /// <summary>
    /// Folder where uploaded bundles are kept by id. Default <c>bundles</c> in the data directory
    /// (<c>Coordinator:DataDir</c>) when there is one; else <c>cluster-bundles/coordinator</c> under the temporary
    /// folder, held by this coordinator alone: while another running process holds it, the next free one of
    /// <c>coordinator-2</c>, <c>coordinator-3</c>, ... (so two clusters on one machine never share a store). A folder
    /// set here is used as it is.
    /// </summary>
    public string BundleDirectory { get; set; } = string.Empty;

    /// <summary>Bytes of bundles kept on disk; past it the least recently used ones no job uses are deleted. Default 4 GiB.</summary>
    public long BundleStoreBytes { get; set; } = 4L << 30;

    /// <summary>The allow-list parsed (lower case); empty when any bundle is allowed.</summary>
    public IReadOnlySet<string> ParsedAllowedBundles() =>
        AllowedBundles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(id => id.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The default store folder, before a running instance's number is added to it.</summary>
    public static string DefaultBundleDirectory => Path.Combine(Path.GetTempPath(), "cluster-bundles", "coordinator");
}
