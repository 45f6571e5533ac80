using Cluster.Jobs;

namespace Cluster.TestBundles;

/// <summary>A kind whose constructor throws: the bundle is refused.</summary>
public sealed class ThrowingKind : IJobKind
{
    public ThrowingKind() => throw new InvalidOperationException("the constructor refuses");

    public string Name => "bundle-throwing";

    public string Description => "Never constructed.";

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [];

    public IJobPlan Plan(JobPlanContext context) => throw new InvalidOperationException("never reached");

    public IChunkExecutor CreateExecutor(JobParameters parameters) => throw new InvalidOperationException("never reached");
}
