using Cluster.Jobs;

namespace Cluster.Tests.Cli;

/// <summary>A throwaway kind for the CLI's option building; it is never planned or executed.</summary>
public sealed class CliTestSumKind : IJobKind
{
    public string Name => "clitest-sum";

    public string Description => "Adds numbers (CLI tests only)";

    public IReadOnlyList<ParameterSpec> Parameters =>
    [
        ParameterSpec.Int("count", "How many numbers", required: true),
        ParameterSpec.Double("scale", "Factor", 1.5),
        ParameterSpec.Bool("verbose", "Say more"),
        ParameterSpec.String("label", "A label", "none"),
        ParameterSpec.Int("workers", "Clashes with the shared --workers option", 3),
    ];

    public IJobPlan Plan(JobPlanContext context) => throw new NotSupportedException("Only its parameters are used.");

    public IChunkExecutor CreateExecutor(JobParameters parameters) => throw new NotSupportedException("Only its parameters are used.");
}

/// <summary>A throwaway kind that reads input.</summary>
public sealed class CliTestInputKind : IJobKind
{
    public string Name => "clitest-input";

    public string Description => "Reads input (CLI tests only)";

    public IReadOnlyList<ParameterSpec> Parameters => [];

    public bool TakesInput => true;

    public IJobPlan Plan(JobPlanContext context) => throw new NotSupportedException("Only its parameters are used.");

    public IChunkExecutor CreateExecutor(JobParameters parameters) => throw new NotSupportedException("Only its parameters are used.");
}
