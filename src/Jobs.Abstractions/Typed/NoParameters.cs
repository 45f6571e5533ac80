namespace Cluster.Jobs.Typed;

/// <summary>The parameters of a kind that takes none.</summary>
public sealed record NoParameters;
