using Cluster.Contracts.V1;

namespace Cluster.Worker.Reporting;

/// <summary>A result or a control message, in the order the write loop must send them.</summary>
internal readonly record struct Outbound(ChunkResult? Result, WorkerMessage? Control);
