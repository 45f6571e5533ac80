using Cluster.Jobs;

namespace Cluster.TestBundles;

/// <summary>Two kinds of one name: the bundle is refused.</summary>
public sealed class FirstTwin : IJobKind
{
    public string Name => "bundle-twin";

    public string Description => "One of two kinds named bundle-twin.";

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [];

    public IJobPlan Plan(JobPlanContext context) => throw new InvalidOperationException("never reached");

    public IChunkExecutor CreateExecutor(JobParameters parameters) => throw new InvalidOperationException("never reached");
}

/// <summary>The other kind named bundle-twin.</summary>
public sealed class SecondTwin : IJobKind
{
    public string Name => "bundle-twin";

    public string Description => "The other kind named bundle-twin.";

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [];

    public IJobPlan Plan(JobPlanContext context) => throw new InvalidOperationException("never reached");

    public IChunkExecutor CreateExecutor(JobParameters parameters) => throw new InvalidOperationException("never reached");
}
