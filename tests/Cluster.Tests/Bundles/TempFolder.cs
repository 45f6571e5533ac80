namespace Cluster.Tests.Bundles;

/// <summary>A fresh temporary folder, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cluster-bundle-test-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
