namespace Cluster.Coordinator.Security;

/// <summary>What a token may do. Each role's calls are listed in <see cref="RolePolicy"/>.</summary>
internal enum TokenRole
{
    /// <summary>Joins as a worker and serves chunks (WorkerService.Connect and ReportWorkerExit), nothing else.</summary>
    Worker,

    /// <summary>Submits, watches, lists, cancels and fetches the results of its own jobs; lists workers and kinds.</summary>
    Client,

    /// <summary>Everything, including other clients' jobs.</summary>
    Admin,
}
