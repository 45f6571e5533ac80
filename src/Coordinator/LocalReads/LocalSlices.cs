using System.Buffers;
using Cluster.Contracts.V1;
using Cluster.Coordinator.Jobs;
using Cluster.Coordinator.Submission;
using Cluster.Jobs;

namespace Cluster.Coordinator.LocalReads;

/// <summary>
/// Which chunk attempts go to their worker as a range of the input spool instead of bytes, and that range: an attempt
/// of a chunk of an uploaded input whose plan is a header and one input range (<see cref="IInputSlicePlan"/>), sent to
/// a session that proved it reads this coordinator's files (<see cref="LocalReadProbe"/>), unless the chunk failed
/// before. A retry after a failure carries the bytes, so a spool read that failed on the worker (the file gone, an I/O
/// error) costs one attempt, never the result; backups and chunks lost with their worker are ranges again.
/// </summary>
internal static class LocalSlices
{
    /// <summary>Whether an attempt of a chunk of <paramref name="job"/> goes as a spool range to a session that <paramref name="readsLocalFiles"/>.</summary>
    public static bool Applies(bool readsLocalFiles, bool afterFailure, Job job) =>
        readsLocalFiles && !afterFailure && job.Input is SpooledInput && job.Plan is IInputSlicePlan;

    /// <summary>
    /// Writes the chunk's payload header to <paramref name="writer"/> and returns the spool range whose bytes follow it.
    /// The chunk was released, so those bytes are written (and, for lines, the line end after them).
    /// </summary>
    public static LocalSlice Write(Job job, long chunk, IBufferWriter<byte> writer)
    {
        var range = ((IInputSlicePlan)job.Plan).WritePayloadHeader(chunk, writer);
        return new LocalSlice { Path = ((SpooledInput)job.Input!).Path, Offset = range.Start, Length = range.Length };
    }
}
