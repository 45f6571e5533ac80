using Cluster.Bundles;
using Cluster.Bundles.Loading;
using Cluster.Jobs;
using Cluster.Jobs.InProcess;

namespace Cluster.Tests.Bundles;

public sealed class BundleLoaderTests
{
    private static readonly Dictionary<string, object> N1000 = new(StringComparer.Ordinal) { ["n"] = 1000L };

    [Fact]
    public void Load_TwoVersionsOfOneKind_EachRunsItsOwnCode()
    {
        var v1 = TestBundleFiles.Pack("Sum.V1");
        var v2 = TestBundleFiles.Pack("Sum.V2");

        var one = BundleLoader.Load(v1.Id, v1.Bytes);
        var two = BundleLoader.Load(v2.Id, v2.Bytes);
        try
        {
            var first = InProcessJobRunner.Run(one.GetKind("bundle-sum"), With("tag", "one"), options: new InProcessRunOptions { Threads = 2, Chunks = 7 });
            var second = InProcessJobRunner.Run(two.GetKind("bundle-sum"), With("tag", "two"), options: new InProcessRunOptions { Threads = 2, Chunks = 7 });

            // Sums below 1000 added up here: of i, 999·1000/2; of i², 999·1000·1999/6.
            Assert.Equal("{\"sum\":499500,\"version\":1,\"first_tag\":\"one\"}", first.SummaryJson);
            Assert.Equal("{\"sum\":332833500,\"version\":2,\"first_tag\":\"two\"}", second.SummaryJson);
            Assert.NotSame(one.GetKind("bundle-sum").GetType().Assembly, two.GetKind("bundle-sum").GetType().Assembly);
        }
        finally
        {
            one.Unload();
            two.Unload();
        }
    }

    [Fact]
    public void Load_BundleWithItsOwnNuGetDependency_UsesItsOwnVersion()
    {
        var bundle = TestBundleFiles.Pack("Protobuf");
        var loaded = BundleLoader.Load(bundle.Id, bundle.Bytes);
        try
        {
            var output = InProcessJobRunner.Run(loaded.GetKind("bundle-protobuf"), new Dictionary<string, object>(StringComparer.Ordinal) { ["chunks"] = 2L });

            // The host (this test, like the coordinator and workers) has Google.Protobuf 3.36; the bundle ships 3.25.1.
            Assert.StartsWith("3.36.", typeof(Google.Protobuf.ByteString).Assembly.GetName().Version!.ToString(), StringComparison.Ordinal);
            Assert.Equal("{\"coordinator\":\"3.25.1.0\",\"workers\":[\"3.25.1.0\"]}", output.SummaryJson);
        }
        finally
        {
            loaded.Unload();
        }
    }

    [Fact]
    public void Load_NotAnAssembly_SaysSo()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "Notes.dll");
        File.WriteAllText(path, "these are notes, not code");
        var bundle = TestBundleFiles.PackFile(path);

        var error = Assert.Throws<BundleException>(() => BundleLoader.Load(bundle.Id, bundle.Bytes));

        Assert.Equal($"bundle {bundle.Id[..12]}: 'Notes.dll' is not a .NET assembly (native code, or not code at all); ship a job's build output", error.Message);
    }

    [Fact]
    public void Load_BuiltForANewerRuntime_SaysWhichAndWhatToDo()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "Future.dll");
        TestBundleFiles.WriteFutureAssembly(path);
        var bundle = TestBundleFiles.PackFile(path);

        var error = Assert.Throws<BundleException>(() => BundleLoader.Load(bundle.Id, bundle.Bytes));

        Assert.Contains("'Future.dll' was built for .NET 99.0, newer than the .NET 10.0 this cluster runs; build it for net10.0 or older", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingDependency_NamesIt()
    {
        var bundle = TestBundleFiles.PackFile(Path.Combine(TestBundleFiles.Folder("Faulty.Missing"), "Cluster.TestBundles.Faulty.Missing.dll"));

        var error = Assert.Throws<BundleException>(() => BundleLoader.Load(bundle.Id, bundle.Bytes));

        Assert.Contains("'Cluster.TestBundles.Faulty.Missing.dll' needs 'Cluster.TestBundles.Faulty.Helper, Version=1.0.0.0", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("which is neither in the bundle nor in this process; ship the job's whole build output folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingDependencyShippedWithTheFolder_Loads()
    {
        var bundle = TestBundleFiles.Pack("Faulty.Missing");

        var loaded = BundleLoader.Load(bundle.Id, bundle.Bytes);

        Assert.Equal("Greets with the helper: hello", loaded.GetKind("bundle-needs-helper").Description);
        loaded.Unload();
    }

    [Fact]
    public void Load_TwoKindsOfOneName_NamesBoth()
    {
        var bundle = TestBundleFiles.Pack("Faulty.Duplicate");

        var error = Assert.Throws<BundleException>(() => BundleLoader.Load(bundle.Id, bundle.Bytes));

        Assert.Matches("has two kinds named 'bundle-twin': Cluster.TestBundles.(First|Second)Twin and Cluster.TestBundles.(First|Second)Twin; kind names must be unique$", error.Message);
    }

    [Fact]
    public void Load_ConstructorThrows_NamesTheTypeAndTheError()
    {
        var bundle = TestBundleFiles.Pack("Faulty.Constructor");

        var error = Assert.Throws<BundleException>(() => BundleLoader.Load(bundle.Id, bundle.Bytes));

        Assert.EndsWith("constructing kind Cluster.TestBundles.ThrowingKind threw System.InvalidOperationException: the constructor refuses", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetKind_NoSuchKind_ListsTheBundlesKinds()
    {
        var bundle = TestBundleFiles.Pack("Sum.V1");
        var loaded = BundleLoader.Load(bundle.Id, bundle.Bytes);

        var error = Assert.Throws<JobParameterException>(() => loaded.GetKind("nope"));

        Assert.Equal("kind", error.Field);
        Assert.Equal($"'nope' is not a kind of bundle {bundle.Id[..12]} (its kinds: bundle-chunk-throws, bundle-plan-throws, bundle-sum)", error.Rule);
        loaded.Unload();
    }

    [Fact]
    public void Load_NoKindAtAll_SaysSo()
    {
        var bundle = TestBundleFiles.PackFile(Path.Combine(TestBundleFiles.Folder("Faulty.Missing"), "Cluster.TestBundles.Faulty.Helper.dll"));

        var error = Assert.Throws<BundleException>(() => BundleLoader.Load(bundle.Id, bundle.Bytes));

        Assert.Contains("has no job kinds: none of its assemblies (Cluster.TestBundles.Faulty.Helper.dll) references Cluster.Jobs.Abstractions", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, object> With(string name, object value) => new(N1000, StringComparer.Ordinal) { [name] = value };
}
