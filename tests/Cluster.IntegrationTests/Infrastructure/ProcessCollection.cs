namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>Every test that starts processes belongs here, so they run one at a time on this 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "processes";
}
