namespace Cluster.Jobs;

/// <summary>
/// A plan whose chunks are byte ranges of an uploaded input (planned with <see cref="JobPlanContext.InputArriving"/>),
/// so that the coordinator dispatches each chunk as soon as its bytes have arrived, while the rest still uploads.
/// </summary>
/// <remarks>
/// The coordinator asks about chunks in index order and releases them in that order; once the whole input has arrived
/// every chunk is released without asking. A plan of the typed SDK's input kinds implements it.
/// </remarks>
public interface IArrivingInputPlan : IJobPlan
{
    /// <summary>
    /// Whether the payload of chunk <paramref name="chunkIndex"/> can be written from the input received so far:
    /// <paramref name="arrived"/> is the input's first bytes, as many as have arrived (its <see cref="IJobInput.Length"/>).
    /// </summary>
    bool HasArrived(long chunkIndex, IJobInput arrived);
}
