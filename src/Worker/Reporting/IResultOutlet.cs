using Cluster.Contracts.V1;

namespace Cluster.Worker.Reporting;

/// <summary>Where carried results can be sent: the current session, while it stands.</summary>
internal interface IResultOutlet
{
    /// <summary>Queues a result finished under an earlier session; false when the session cannot send any more.</summary>
    bool TrySendCarried(ChunkResult result);
}
