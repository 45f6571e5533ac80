using System.Buffers;
using Cluster.Jobs.Splitting;

namespace Cluster.Jobs;

/// <summary>
/// A plan of an uploaded input whose every chunk payload is a short header followed by one byte range of the input,
/// exactly as <see cref="IJobPlan.WritePayload"/> writes it. A coordinator whose worker shares its machine (and has
/// proved it reads the coordinator's files) sends that worker the header and the range's position in the spooled input
/// instead of its bytes; the worker reads the range itself and runs the chunk on the same payload.
/// </summary>
/// <remarks>A plan of the typed SDK's input kinds implements it.</remarks>
public interface IInputSlicePlan : IJobPlan
{
    /// <summary>
    /// Writes the header of chunk <paramref name="chunkIndex"/>'s payload and returns the input range whose bytes follow
    /// it: the header and then those bytes are the payload <see cref="IJobPlan.WritePayload"/> writes. A line-split chunk's
    /// range is already moved to line starts, so it may read the input around its nominal ends (never past the bytes a
    /// released chunk needs, see <see cref="IArrivingInputPlan"/>).
    /// </summary>
    LongRange WritePayloadHeader(long chunkIndex, IBufferWriter<byte> writer);
}
