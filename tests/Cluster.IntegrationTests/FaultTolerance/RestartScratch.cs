namespace Cluster.IntegrationTests.FaultTolerance;

/// <summary>
/// A restart test's own temporary folder, removed with the test: the coordinator's data directory and the chaos kind's
/// count-dir under it, and whatever else the test writes there.
/// </summary>
internal sealed class RestartScratch(string prefix) : IDisposable
{
    public DirectoryInfo Root { get; } = Directory.CreateTempSubdirectory(prefix);

    /// <summary>The coordinator's <c>--data-dir</c>.</summary>
    public string DataDir => PathOf("data");

    /// <summary>The chaos kind's <c>count-dir</c> (see <see cref="RestartCounts.Executions"/>).</summary>
    public string CountDir => PathOf("executions");

    public string PathOf(string name) => Path.Combine(Root.FullName, name);

    public void Dispose() => Root.Delete(recursive: true);
}
