using System.Reflection;
using Cluster.Client.Bundles;
using Cluster.Contracts.V1;
using Google.Protobuf;

namespace Cluster.Client;

/// <summary>Shipping code: a job's build output uploaded as a bundle, once per content.</summary>
public sealed partial class ClusterClient
{
    /// <summary>Bytes per upload message.</summary>
    public const int BundlePieceBytes = 1 << 20;

    /// <summary>
    /// Makes sure the coordinator holds the bundle of <paramref name="path"/> (a job's assembly, or its build output
    /// folder with its dependencies): packs it, asks whether the coordinator has it, and uploads it only if not. Name the
    /// returned id in <see cref="JobSpec.BundleId"/> to run a kind from it. Running it runs its code on every worker.
    /// </summary>
    /// <returns>The bundle's id and size, and the bytes sent (0 when the coordinator had it).</returns>
    /// <exception cref="FileNotFoundException">Nothing is at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The folder holds no assembly.</exception>
    public async Task<BundleUpload> UploadBundleAsync(string path, CancellationToken cancellationToken = default)
    {
        var bytes = BundlePacker.Pack(path);
        var id = BundleIds.Of(bytes);
        var present = await TranslateAsync(
            async () => (await _bundles.HasBundleAsync(new HasBundleRequest { BundleId = id }, Unary(cancellationToken)).ResponseAsync.ConfigureAwait(false)).Present,
            cancellationToken).ConfigureAwait(false);
        if (present)
        {
            return new BundleUpload(id, bytes.Length, 0);
        }

        var sent = await TranslateAsync(
            async () =>
            {
                using var call = _bundles.UploadBundle(new Grpc.Core.CallOptions(cancellationToken: cancellationToken));
                try
                {
                    await call.RequestStream.WriteAsync(new UploadBundleRequest { Header = new BundleHeader { BundleId = id, Size = bytes.Length } }, cancellationToken).ConfigureAwait(false);
                    for (var offset = 0; offset < bytes.Length; offset += BundlePieceBytes)
                    {
                        var piece = ByteString.CopyFrom(bytes, offset, Math.Min(BundlePieceBytes, bytes.Length - offset));
                        await call.RequestStream.WriteAsync(new UploadBundleRequest { Data = piece }, cancellationToken).ConfigureAwait(false);
                    }

                    await call.RequestStream.CompleteAsync().ConfigureAwait(false);
                }
                catch (Grpc.Core.RpcException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The coordinator answered before taking every piece (a refusal): its answer says why, not the broken write.
                }

                return (await call.ResponseAsync.ConfigureAwait(false)).ReceivedBytes;
            },
            cancellationToken).ConfigureAwait(false);
        return new BundleUpload(id, bytes.Length, sent);
    }

    /// <summary>Uploads (if need be) the build output folder of <paramref name="assembly"/>: the assembly and its dependencies beside it.</summary>
    /// <inheritdoc cref="UploadBundleAsync(string, CancellationToken)"/>
    public Task<BundleUpload> UploadAssemblyAsync(Assembly assembly, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var folder = Path.GetDirectoryName(assembly.Location);
        return string.IsNullOrEmpty(folder)
            ? throw new ArgumentException($"Assembly {assembly.GetName().Name} was not loaded from a file, so it has no build output to ship.", nameof(assembly))
            : UploadBundleAsync(folder, cancellationToken);
    }

    /// <summary>Uploads (if need be) the build output folder of the assembly defining <paramref name="kindType"/>.</summary>
    /// <inheritdoc cref="UploadBundleAsync(string, CancellationToken)"/>
    public Task<BundleUpload> UploadKindAsync(Type kindType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kindType);
        return UploadAssemblyAsync(kindType.Assembly, cancellationToken);
    }

    /// <summary>The bundles the coordinator holds, with the bytes it received for each and whether a job uses it now.</summary>
    public async Task<IReadOnlyList<BundleInfo>> ListBundlesAsync(CancellationToken cancellationToken = default)
    {
        var response = await TranslateAsync(() => _bundles.ListBundlesAsync(new ListBundlesRequest(), Unary(cancellationToken)).ResponseAsync, cancellationToken).ConfigureAwait(false);
        return response.Bundles;
    }
}

/// <summary>A bundle the coordinator holds after <see cref="ClusterClient.UploadBundleAsync(string, CancellationToken)"/>.</summary>
/// <param name="BundleId">Its id (SHA-256, hexadecimal), for <see cref="JobSpec.BundleId"/>.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="SentBytes">Bytes this call uploaded: 0 when the coordinator had it already.</param>
public sealed record BundleUpload(string BundleId, long Size, long SentBytes);
