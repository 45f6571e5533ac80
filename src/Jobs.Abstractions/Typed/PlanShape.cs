namespace Cluster.Jobs.Typed;

/// <summary>What a plan looks like, for starting the merged result.</summary>
/// <param name="ChunkCount">How many chunks will be merged.</param>
/// <param name="InputLength">Bytes of the job's input, or 0 when it has none.</param>
public readonly record struct PlanShape(long ChunkCount, long InputLength);
