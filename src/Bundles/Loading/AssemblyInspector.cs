using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Cluster.Bundles.Loading;

/// <summary>What a bundle file's metadata says, read without loading it: its name, what it references, what runtime it targets.</summary>
internal sealed record AssemblyFacts(string FileName, AssemblyName Name, IReadOnlyList<AssemblyName> References, Version? TargetRuntime)
{
    /// <summary>Reads the metadata of <paramref name="content"/>, or null when the file is no .NET assembly (native code, or not code at all).</summary>
    public static AssemblyFacts? Read(string fileName, byte[] content)
    {
        try
        {
            using var pe = new PEReader(new MemoryStream(content, writable: false));
            if (!pe.HasMetadata)
            {
                return null;
            }

            var reader = pe.GetMetadataReader();
            if (!reader.IsAssembly)
            {
                return null;
            }

            var name = reader.GetAssemblyDefinition().GetAssemblyName();
            var references = reader.AssemblyReferences.Select(h => reader.GetAssemblyReference(h).GetAssemblyName()).ToList();
            return new AssemblyFacts(fileName, name, references, TargetOf(reader));
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }

    /// <summary>The .NET version in the assembly's <c>TargetFrameworkAttribute</c> (".NETCoreApp,Version=v10.0"), if it has one.</summary>
    private static Version? TargetOf(MetadataReader reader)
    {
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference)
            {
                continue;
            }

            var constructor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            if (constructor.Parent.Kind != HandleKind.TypeReference
                || reader.GetString(reader.GetTypeReference((TypeReferenceHandle)constructor.Parent).Name) != "TargetFrameworkAttribute")
            {
                continue;
            }

            // The blob: prolog 0x0001, then the constructor's one string argument.
            var blob = reader.GetBlobReader(attribute.Value);
            if (blob.ReadUInt16() != 1 || blob.ReadSerializedString() is not { } framework)
            {
                continue;
            }

            const string Marker = "Version=v";
            var at = framework.IndexOf(Marker, StringComparison.Ordinal);
            if (framework.StartsWith(".NETCoreApp", StringComparison.Ordinal) && at >= 0 && Version.TryParse(framework[(at + Marker.Length)..], out var version))
            {
                return version;
            }
        }

        return null;
    }
}
