namespace Cluster.Worker.Execution;

/// <summary>How busy the compute threads are, as a heartbeat tells the coordinator.</summary>
internal interface IComputeLoad
{
    /// <summary>Attempts executing right now.</summary>
    int Running { get; }

    /// <summary>Attempts queued and not yet started.</summary>
    int Queued { get; }
}
