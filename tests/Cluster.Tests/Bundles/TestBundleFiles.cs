using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Versioning;
using Cluster.Bundles.Format;

namespace Cluster.Tests.Bundles;

/// <summary>The test bundles' build outputs (tests/TestBundles), built by the same build, and bundles made from them.</summary>
internal static class TestBundleFiles
{
    /// <summary>The build output folder of test bundle project <paramref name="project"/> (for example <c>Sum.V1</c>).</summary>
    public static string Folder(string project)
    {
        // This assembly runs from tests/Cluster.Tests/bin/CONFIGURATION/net10.0/.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var tests = output.Parent.Parent!.Parent!.Parent!.FullName;
        var folder = Path.Combine(tests, "TestBundles", project, "bin", configuration, "net10.0");
        return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"Build tests/TestBundles/{project} first: {folder} is missing.");
    }

    /// <summary>The bundle of a test bundle project's whole output folder, and its id.</summary>
    public static (string Id, byte[] Bytes) Pack(string project) => WithId(BundlePacker.Pack(Folder(project)));

    /// <summary>The bundle of one file.</summary>
    public static (string Id, byte[] Bytes) PackFile(string path) => WithId(BundlePacker.Pack(path));

    public static (string Id, byte[] Bytes) WithId(byte[] bytes) => (BundleIds.Of(bytes), bytes);

    /// <summary>Writes an assembly that says it targets .NET 99, as one built by a future SDK would.</summary>
    public static void WriteFutureAssembly(string path)
    {
        var builder = new PersistedAssemblyBuilder(new AssemblyName("Cluster.TestBundles.Future"), typeof(object).Assembly);
        builder.SetCustomAttribute(new CustomAttributeBuilder(
            typeof(TargetFrameworkAttribute).GetConstructor([typeof(string)])!,
            [".NETCoreApp,Version=v99.0"]));
        var module = builder.DefineDynamicModule("Cluster.TestBundles.Future");
        module.DefineType("Cluster.TestBundles.FutureKind", TypeAttributes.Public | TypeAttributes.Sealed).CreateType();
        builder.Save(path);
    }
}
