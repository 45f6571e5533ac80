using Google.Protobuf.Reflection;

namespace Cluster.Contracts.V1;

/// <summary>The file descriptors of the contract (<c>proto/cluster/v1</c>), built once, on one thread.</summary>
/// <remarks>
/// Google.Protobuf builds a file's descriptor lazily, in the static constructor of its <c>*Reflection</c> class, and
/// while doing so fills a cache of extensions in the descriptors it depends on that is a plain dictionary
/// (protocolbuffers/protobuf#29696, open). Two threads that first touch two different files (a client's call and a
/// worker's join both checked against their service's descriptor, say) can corrupt that cache; the static constructor
/// then throws, and its <see cref="TypeInitializationException"/> is cached for the life of the process, so every
/// later call that needs that file fails. A CI run of the coordinator hit exactly that. A server that serves calls
/// concurrently reads <see cref="All"/> before it listens. It is not done at load for every process: building them
/// compiles several hundred methods, which a CLI would pay before it starts anything.
/// </remarks>
public static class ContractDescriptors
{
    private static readonly Lazy<IReadOnlyList<FileDescriptor>> Files = new(
        () => [CommonReflection.Descriptor, BundlesReflection.Descriptor, JobsReflection.Descriptor, WorkersReflection.Descriptor],
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Every file of the contract, dependencies first; the first read builds them all, one after the other.</summary>
    public static IReadOnlyList<FileDescriptor> All => Files.Value;
}
