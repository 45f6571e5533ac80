namespace Cluster.TestBundles;

public sealed class Helper
{
    public string Greeting { get; } = "hello";
}
