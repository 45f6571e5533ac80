using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Google.Protobuf.Reflection;

namespace Cluster.Contracts.V1;

/// <summary>
/// Builds every file descriptor of the contract once, on one thread, when this assembly is loaded.
/// </summary>
/// <remarks>
/// Google.Protobuf builds a file's descriptor lazily, in the static constructor of its <c>*Reflection</c> class, and
/// while doing so fills a cache of extensions in the descriptors it depends on that is a plain
/// <see cref="Dictionary{TKey, TValue}"/> (protocolbuffers/protobuf#29696, open). Two threads that first touch two
/// different files (say a WatchJob handler formatting a <c>jobs.proto</c> message while a worker session formats a
/// <c>workers.proto</c> one) can corrupt that cache; the static constructor then throws, and its
/// <see cref="TypeInitializationException"/> is cached for the life of the process, so every later call in that file
/// fails. A CI run of the coordinator hit exactly that. Building them here, before any other code in this assembly
/// runs, takes the race away in every process that uses the contract: coordinator, worker, client library and CLI.
/// </remarks>
internal static class DescriptorInitializer
{
    /// <summary>Every file of <c>proto/cluster/v1</c>, dependencies first; a test checks none is missing.</summary>
    internal static IReadOnlyList<FileDescriptor> Files { get; private set; } = [];

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "The work-around for a race in Google.Protobuf must run before any caller can touch a descriptor.")]
    internal static void Initialize() => Files =
    [
        CommonReflection.Descriptor,
        BundlesReflection.Descriptor,
        JobsReflection.Descriptor,
        WorkersReflection.Descriptor,
    ];
}
