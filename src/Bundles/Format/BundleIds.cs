using System.Security.Cryptography;

#if CLUSTER_CLIENT
namespace Cluster.Client.Bundles;
#else
namespace Cluster.Bundles.Format;
#endif

/// <summary>A bundle's id: the SHA-256 of its bytes, as 64 lowercase hexadecimal characters.</summary>
internal static class BundleIds
{
    public const int Length = 64;

    public static string Of(ReadOnlySpan<byte> bundle) => Convert.ToHexStringLower(SHA256.HashData(bundle));

    public static bool IsValid(string? id) =>
        id is { Length: Length } && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>The first 12 characters, for messages and logs.</summary>
    public static string Short(string id) => id.Length > 12 ? id[..12] : id;
}
