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

    /// <summary>Folder where uploaded bundles are kept by id. Default <c>cluster-bundles/coordinator</c> under the temporary folder.</summary>
    public string BundleDirectory { get; set; } = string.Empty;

    /// <summary>Bytes of bundles kept on disk; past it the least recently used ones no job uses are deleted. Default 4 GiB.</summary>
    public long BundleStoreBytes { get; set; } = 4L << 30;

    /// <summary>The allow-list parsed (lower case); empty when any bundle is allowed.</summary>
    public IReadOnlySet<string> ParsedAllowedBundles() =>
        AllowedBundles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(id => id.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The store's folder, with the default filled in.</summary>
    public string ResolvedBundleDirectory() =>
        string.IsNullOrEmpty(BundleDirectory) ? Path.Combine(Path.GetTempPath(), "cluster-bundles", "coordinator") : BundleDirectory;
}
