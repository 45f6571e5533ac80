using Cluster.Jobs;

namespace Cluster.TestBundles;

/// <summary>A kind that needs Faulty.Helper; shipped without it, the bundle is refused.</summary>
public sealed class NeedsHelperKind : IJobKind
{
    private readonly Helper _helper = new();

    public string Name => "bundle-needs-helper";

    public string Description => "Greets with the helper: " + _helper.Greeting;

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [];

    public IJobPlan Plan(JobPlanContext context) => throw new InvalidOperationException("never reached");

    public IChunkExecutor CreateExecutor(JobParameters parameters) => throw new InvalidOperationException("never reached");
}
