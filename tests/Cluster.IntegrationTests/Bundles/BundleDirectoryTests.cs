using Cluster.Client;
using Cluster.Client.Local;
using Cluster.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Cluster.IntegrationTests.Bundles;

/// <summary>Two clusters on one machine, both with the default bundle folders, never share one.</summary>
[Collection(ProcessCollection.Name)]
public sealed class BundleDirectoryTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly List<ClusterProcess> _processes = [];

    public void Dispose() => _processes.ForEach(p => p.Dispose());

    [Fact]
    public async Task TwoClustersWithDefaultFolders_EachCoordinatorAndWorkerHasItsOwnStore()
    {
        // The launcher's own coordinators (not a LocalCluster's, which get a temporary folder each) use the defaults.
        var launcher = new ClusterLauncher(new LocalClusterOptions { CoordinatorCommand = Executables.Coordinator, WorkerCommand = Executables.Worker, StartupTimeout = Bound });
        var one = Start(launcher.StartCoordinator(0));
        var two = Start(launcher.StartCoordinator(0));
        var oneAddress = await launcher.WaitForAddressAsync(one);
        var twoAddress = await launcher.WaitForAddressAsync(two);
        var workers = new[] { Start(launcher.StartWorker("w1", oneAddress)), Start(launcher.StartWorker("w2", twoAddress)) };
        foreach (var worker in workers)
        {
            await launcher.WaitForJoinAsync(worker);
        }

        using var toOne = new ClusterClient(oneAddress);
        var uploaded = await toOne.UploadBundleAsync(Executables.TestBundle("Sum.V1"));
        _processes.ForEach(p => output.WriteLine(string.Join(Environment.NewLine, p.Output)));

        var stores = new[] { one, two }.Select(c => Folder(c, "Bundles kept in ")).ToList();
        var caches = workers.Select(w => Folder(w, "Bundle cache in ")).ToList();
        Assert.NotEqual(stores[0], stores[1]);
        Assert.NotEqual(caches[0], caches[1]);
        Assert.All(stores.Concat(caches), f => Assert.StartsWith(Path.Combine(Path.GetTempPath(), "cluster-bundles"), f, StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(stores[0], uploaded.BundleId + ".bundle")), $"the upload to the first coordinator is not in {stores[0]}");
    }

    private static string Folder(ClusterProcess process, string marker)
    {
        var line = process.Output.Single(l => l.Contains(marker, StringComparison.Ordinal));
        var start = line.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return line[start..line.LastIndexOf(" (", StringComparison.Ordinal)];
    }

    private ClusterProcess Start(ClusterProcess process)
    {
        _processes.Add(process);
        return process;
    }
}
