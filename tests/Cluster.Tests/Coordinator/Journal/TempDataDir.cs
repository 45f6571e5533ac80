namespace Cluster.Tests.Coordinator.Journal;

/// <summary>A data directory under the system temp folder, removed with everything in it on dispose.</summary>
internal sealed class TempDataDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cluster-journal-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
