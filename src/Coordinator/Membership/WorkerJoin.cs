namespace Cluster.Coordinator.Membership;

/// <summary>A worker introducing itself, already checked by the API.</summary>
/// <param name="WorkerId">Stable id chosen by the worker.</param>
/// <param name="Host">Host name it runs on.</param>
/// <param name="Pid">Its process id on that host.</param>
/// <param name="Threads">Compute threads it runs.</param>
internal sealed record WorkerJoin(string WorkerId, string Host, int Pid, int Threads);
