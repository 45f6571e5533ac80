using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Versioning;
using Cluster.Contracts.V1;

namespace Cluster.IntegrationTests.Bundles;

/// <summary>Fresh folders for a test's bundle stores and caches, and specs and broken inputs for bundle jobs.</summary>
internal sealed class BundleFixtures : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("cluster-bundles-it-");

    /// <summary>The coordinator's bundle store, fresh, so nothing from an earlier run is held.</summary>
    public string CoordinatorStore => Path.Combine(_root.FullName, "coordinator");

    /// <summary>The command-line setting that points the coordinator at <see cref="CoordinatorStore"/>.</summary>
    public string CoordinatorArg => $"--Coordinator:BundleDirectory={CoordinatorStore}";

    /// <summary>A fresh cache folder for workers, named <paramref name="name"/>.</summary>
    public string WorkerCache(string name) => Path.Combine(_root.FullName, "worker-" + name);

    /// <summary>Worker environment that points their bundle cache at <see cref="WorkerCache"/>.</summary>
    public Dictionary<string, string> WorkerEnvironment(string name) => new(StringComparer.Ordinal) { ["CLUSTER_Worker__BundleCache"] = WorkerCache(name) };

    /// <summary>A file in the test's folder.</summary>
    public string File(string name) => Path.Combine(_root.FullName, name);

    public static JobSpec Spec(string kind, string bundleId, long chunks, params (string Name, object Value)[] parameters)
    {
        var spec = new JobSpec { Kind = kind, BundleId = bundleId, Chunks = chunks };
        foreach (var (name, value) in parameters)
        {
            spec.Parameters[name] = ParameterValue.FromClr(value);
        }

        return spec;
    }

    /// <summary>Writes an assembly that says it targets .NET 99, as one built by a future SDK would.</summary>
    public static void WriteFutureAssembly(string path)
    {
        var builder = new PersistedAssemblyBuilder(new AssemblyName("Cluster.TestBundles.Future"), typeof(object).Assembly);
        builder.SetCustomAttribute(new CustomAttributeBuilder(typeof(TargetFrameworkAttribute).GetConstructor([typeof(string)])!, [".NETCoreApp,Version=v99.0"]));
        builder.DefineDynamicModule("Cluster.TestBundles.Future").DefineType("Cluster.TestBundles.FutureKind", TypeAttributes.Public | TypeAttributes.Sealed).CreateType();
        builder.Save(path);
    }

    public void Dispose() => _root.Delete(recursive: true);
}
